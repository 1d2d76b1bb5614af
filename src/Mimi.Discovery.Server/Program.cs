using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMimiDiscovery();
var app = builder.Build();
app.UseMimiDiscovery();

try
{
    await app.RunAsync();
}
catch (OptionsValidationException e)
{
    // A wrong setting stops the service with the setting's name, not a stack trace.
    await Console.Error.WriteLineAsync("Configuration error: " + string.Join(" ", e.Failures));
    return 2;
}

return 0;

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
