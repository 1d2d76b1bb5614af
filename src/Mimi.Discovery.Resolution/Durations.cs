using System.Globalization;

namespace Mimi.Discovery.Resolution;

/// <summary>Time-to-live arithmetic and the way explanation trails print a duration.</summary>
internal static class Durations
{
    /// <summary><paramref name="value"/> clamped to the range from zero to <paramref name="cap"/>.</summary>
    public static TimeSpan Cap(TimeSpan value, TimeSpan cap) =>
        value < TimeSpan.Zero ? TimeSpan.Zero : value > cap ? cap : value;

    public static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Whole seconds, never negative: <c>"300 s"</c>.</summary>
    public static string Seconds(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, Math.Round(value.TotalSeconds)):0} s");
}
