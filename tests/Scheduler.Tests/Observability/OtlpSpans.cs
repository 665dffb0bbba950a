using Google.Protobuf;

namespace Scheduler.Tests.Observability;

/// <summary>
/// Reads the spans out of an OTLP/HTTP protobuf <c>ExportTraceServiceRequest</c> (opentelemetry-proto trace.proto): only
/// the fields the tests look at, walked with Google.Protobuf's wire reader.
/// </summary>
public static class OtlpSpans
{
    public static IEnumerable<Span> Decode(byte[] body)
    {
        foreach (var resourceSpans in Fields(body, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    yield return ReadSpan(span);
                }
            }
        }
    }

    private static Span ReadSpan(byte[] bytes)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var links = new List<(string TraceId, string SpanId)>();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Hex(input.ReadBytes()); break;
                case 2: spanId = Hex(input.ReadBytes()); break;
                case 4: parent = Hex(input.ReadBytes()); break;
                case 5: name = input.ReadString(); break;
                case 9:
                    var (key, value) = ReadAttribute(input.ReadBytes().ToByteArray());
                    attributes[key] = value;
                    break;
                case 13:
                    var link = input.ReadBytes().ToByteArray();
                    links.Add((Hex(Fields(link, 1).Single()), Hex(Fields(link, 2).Single())));
                    break;
                default: input.SkipLastField(); break;
            }
        }

        return new Span(traceId, spanId, parent, name, links, attributes);
    }

    /// <summary>A <c>KeyValue</c> whose value is kept when it is a string (AnyValue field 1) or an int (field 3).</summary>
    private static (string Key, string Value) ReadAttribute(byte[] bytes)
    {
        string key = "", value = "";
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                key = input.ReadString();
            }
            else if (WireFormat.GetTagFieldNumber(tag) == 2)
            {
                var any = new CodedInputStream(input.ReadBytes().ToByteArray());
                uint anyTag;
                while ((anyTag = any.ReadTag()) != 0)
                {
                    switch (WireFormat.GetTagFieldNumber(anyTag))
                    {
                        case 1: value = any.ReadString(); break;
                        case 3: value = any.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture); break;
                        default: any.SkipLastField(); break;
                    }
                }
            }
            else
            {
                input.SkipLastField();
            }
        }

        return (key, value);
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of <paramref name="message"/>.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var input = new CodedInputStream(message);
        var found = new List<byte[]>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>One span: ids in lower-case hex (the W3C spelling), an empty parent for a root.</summary>
    public sealed record Span(
        string TraceId, string SpanId, string ParentSpanId, string Name,
        IReadOnlyList<(string TraceId, string SpanId)> Links, IReadOnlyDictionary<string, string> Attributes);
}
