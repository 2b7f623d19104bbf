using Ihui.Features.Common.Security;
using Serilog.Core;
using Serilog.Events;

namespace Ihui.Api;

/// <summary>Every log event's text properties pass <see cref="SecretScrubber"/> before any sink sees them.</summary>
public sealed class SecretScrubbingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
            if (Clean(value) is var clean && !ReferenceEquals(clean, value))
                (changed ??= []).Add(new LogEventProperty(name, clean));
        if (changed is null) return;
        foreach (var property in changed) logEvent.AddOrUpdateProperty(property);
    }

    private static LogEventPropertyValue Clean(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var scrubbed = SecretScrubber.Scrub(text);
                return ReferenceEquals(scrubbed, text) || scrubbed == text ? value : new ScalarValue(scrubbed);
            case SequenceValue sequence:
                var items = sequence.Elements.Select(Clean).ToArray();
                return items.SequenceEqual(sequence.Elements) ? value : new SequenceValue(items);
            case StructureValue structure:
                var properties = structure.Properties.Select(p => Clean(p.Value) is var v && !ReferenceEquals(v, p.Value) ? new LogEventProperty(p.Name, v) : p).ToArray();
                return properties.SequenceEqual(structure.Properties) ? value : new StructureValue(properties, structure.TypeTag);
            case DictionaryValue dictionary:
                var pairs = dictionary.Elements.Select(p => new KeyValuePair<ScalarValue, LogEventPropertyValue>(p.Key, Clean(p.Value))).ToArray();
                return pairs.Select(p => p.Value).SequenceEqual(dictionary.Elements.Select(p => p.Value)) ? value : new DictionaryValue(pairs);
            default:
                return value;
        }
    }
}
