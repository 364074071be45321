namespace AmiInfra.Constructs;

/// <summary>A temporary folder of this process alone: mode 0700 where the platform has modes, removed whatever happens.</summary>
internal static class PrivateFolder
{
    /// <summary>Runs <paramref name="use"/> with a new private folder, and removes the folder when it returns or throws.</summary>
    /// <param name="prefix">The start of the folder's name, e.g. "amiinfra-fragment-".</param>
    /// <param name="use">What to do with the folder's path.</param>
    public static T Use<T>(string prefix, Func<string, T> use)
    {
        var folder = Directory.CreateTempSubdirectory(prefix);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return use(folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
