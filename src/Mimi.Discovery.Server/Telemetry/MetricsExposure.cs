namespace Mimi.Discovery.Server.Telemetry;

/// <summary>Where <c>/metrics</c> (the Prometheus text format) is served.</summary>
internal enum MetricsExposure
{
    /// <summary>On a management address of its own (loopback by default), which serves nothing else; never on the main port.</summary>
    Management,

    /// <summary>On the main port, next to the API: the operator's explicit choice (anyone who reaches the port can read it).</summary>
    Main,

    /// <summary>Nowhere.</summary>
    Off,
}
