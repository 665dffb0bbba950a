namespace Scheduler.Core.Operations;

/// <summary>The operator actions; <see cref="OperatorActionCatalog"/> says for each its route, role and verb.</summary>
public enum OperatorActionKind
{
    Trigger,
    PauseJob,
    ResumeJob,
    PauseTrigger,
    ResumeTrigger,
    ResetTrigger,
    PauseGroup,
    ResumeGroup,
    PauseAll,
    ResumeAll,
    Interrupt,
    Replay,
    ReplayDeadLetters,
}
