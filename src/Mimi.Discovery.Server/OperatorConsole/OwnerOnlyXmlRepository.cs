using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Mimi.Discovery.Authority;

namespace Mimi.Discovery.Server.OperatorConsole;

/// <summary>
/// Where the Data Protection key ring (behind the console's anti-forgery tokens) is kept: a folder of the key
/// directory, 0700, one file per key, 0600 from the moment it exists, like every other key of the service. The
/// framework's own file repository writes with the process's umask, usually readable by everyone.
/// </summary>
internal sealed partial class OwnerOnlyXmlRepository(string directory) : IXmlRepository
{
    public const string FolderName = "console-keys";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var elements = new List<XElement>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.xml"))
        {
            KeyFiles.EnsureOwnerOnly(file);
            elements.Add(XElement.Load(file));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }

        var name = SafeName().IsMatch(friendlyName) ? friendlyName : Guid.NewGuid().ToString("N");
        var temporary = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var stream = new FileStream(temporary, options))
        {
            element.Save(stream);
        }

        // A reader sees the whole key or none of it.
        File.Move(temporary, Path.Combine(directory, name + ".xml"));
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,100}$")]
    private static partial Regex SafeName();
}
