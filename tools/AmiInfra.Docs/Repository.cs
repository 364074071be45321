namespace AmiInfra.Docs;

/// <summary>The repository the pages are written into.</summary>
public static class Repository
{
    /// <summary>The command that writes the generated pages.</summary>
    public const string Command = "dotnet run --project tools/AmiInfra.Docs";

    /// <summary>The folder that holds AmiInfra.sln, found upwards from the running assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AmiInfra.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("AmiInfra.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A generated page of docs/reference/.</summary>
/// <param name="Path">Its path from the repository root, with forward slashes.</param>
/// <param name="Source">What it is generated from, in words.</param>
/// <param name="Body">Writes the page after its first line.</param>
public sealed record Page(string Path, string Source, Func<string> Body)
{
    /// <summary>The whole page: the line that says it is generated and how, then the body.</summary>
    public string Render() =>
        $"_Generated from {Source} by `{Repository.Command}`. Do not edit: change the source, then rerun the command (CI runs it with `--check` and fails on a stale page)._\n\n" + Body();
}
