// Node processes and PostgreSQL share two cores: tests run one at a time so timings stay honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
