namespace Mimi.Discovery.Server.Hosting;

internal sealed record HealthView(string Status, string? Database);
