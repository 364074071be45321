namespace AmiInfra.App.Tests;

/// <summary>
/// Every file in BadDeclarations/ is a declaration with one fault; its first line is a comment
/// <c>// expect: TEXT</c> giving the start of the one-line error the app must print
/// (<c>{file}</c> stands for the declaration's path). Each is
/// rejected at synth: exit code 1, that message, no stack trace, no template written.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class BadDeclarationTests
{
    private static readonly string Folder = Repository.Path("test", "AmiInfra.App.Tests", "BadDeclarations");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_declaration_is_rejected_with_one_clear_message_and_no_template(string file)
    {
        var path = Path.Combine(Folder, file);
        var firstLine = File.ReadLines(path).First();
        Assert.StartsWith("// expect: ", firstLine);
        var expected = firstLine["// expect: ".Length..].Replace("{file}", path, StringComparison.Ordinal);

        var run = AppRun.Synthesize(path);

        Assert.Equal(1, run.ExitCode);
        var lines = run.Errors.TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("amiinfra: " + expected, lines[0]);

        // Every message starts with the declaration field it is about (or the file, for a file that is not JSON).
        Assert.Matches(@"^amiinfra: (?:(?:name|description|account|region|organization|allowPublicImages|build|delivery|distribution|lifecycle|governance|tags|images)(?:[.\[:]| \()|/|[^\s:]+: got an unknown field)", lines[0]);
        Assert.DoesNotContain(" at ", lines[0].Replace(" at least ", " ", StringComparison.Ordinal).Replace(" at most ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(run.Templates);
    }
}
