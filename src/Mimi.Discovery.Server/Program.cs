using Mimi.Discovery.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMimiDiscovery();
var app = builder.Build();
app.UseMimiDiscovery();

try
{
    await app.RunAsync();
}
catch (Exception e) when (StartupException.Describe(e) is { } line)
{
    // A wrong setting, or a key or data directory it names that cannot be used, stops the service with one line
    // naming it (and exit code 2), not a stack trace.
    await Console.Error.WriteLineAsync("Configuration error: " + line);
    return 2;
}

return 0;

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
