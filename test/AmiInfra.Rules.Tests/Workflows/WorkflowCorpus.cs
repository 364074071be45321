using System.Text;
using AmiInfra.Rules.Workflows;

namespace AmiInfra.Rules.Tests.Workflows;

/// <summary>
/// A workflow document of the corpus under Documents/workflows/good and Documents/workflows/bad, with what its header
/// comment says: the stage it is read for (<c># stage: build|test|distribution|any</c>), for a bad document the start of
/// the expected problem (<c># expect:</c>) and of what is accepted (<c># accepted:</c>), for a good one the start of each
/// warning it is accepted with (<c># warning:</c>). A .json document's header comment is stripped.
/// </summary>
public sealed record WorkflowCorpusDocument(string File, string Text, WorkflowStage? Stage, string? Expect, string? Accepted, IReadOnlyList<string> Warnings)
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Documents", "workflows");

    public static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder))
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => Path.Combine(folder, Path.GetFileName(f)))
            .Order(StringComparer.Ordinal);

    public static WorkflowCorpusDocument Load(string file)
    {
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(System.IO.File.ReadAllBytes(Path.Combine(Root, file)));
        var header = text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim()).ToList();
        string? Field(string name) => header.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();
        var stage = Field("stage") switch
        {
            "build" => WorkflowStage.Build,
            "test" => WorkflowStage.Test,
            "distribution" => WorkflowStage.Distribution,
            "any" => (WorkflowStage?)null,
            var other => throw new InvalidOperationException($"{file}: unknown stage {other}"),
        };

        if (file.EndsWith(".json", StringComparison.Ordinal))
        {
            text = string.Join('\n', text.Split('\n').SkipWhile(l => l.StartsWith('#')));
        }

        var warnings = header.Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).Select(l => l["warning:".Length..].Trim()).ToList();
        return new WorkflowCorpusDocument(file, text, stage, Field("expect"), Field("accepted"), warnings);
    }
}

/// <summary>
/// The corpus of workflow documents: every good one (AWS's documented examples and samples, and odd but valid shapes) is
/// accepted for its stage with exactly the warnings its header lists, and every bad one is refused with the problem its
/// header expects.
/// </summary>
public sealed class WorkflowCorpusTests
{
    public static TheoryData<string> GoodDocuments() => new(WorkflowCorpusDocument.Files("good"));

    public static TheoryData<string> BadDocuments() => new(WorkflowCorpusDocument.Files("bad"));

    [Theory]
    [MemberData(nameof(GoodDocuments))]
    public void Accepts_a_good_document(string file)
    {
        var document = WorkflowCorpusDocument.Load(file);

        var reading = WorkflowDocuments.Read(document.Text, document.Stage);

        Assert.True(reading.Problem is null, $"{file}: {reading.Problem?.Describe()}");
        Assert.Equal(document.Text, reading.Document!.Text);
        Assert.True(document.Warnings.Count == reading.Document.Warnings.Count, $"{file}: warnings {string.Join(" | ", reading.Document.Warnings)}");
        foreach (var (expected, actual) in document.Warnings.Zip(reading.Document.Warnings))
        {
            Assert.StartsWith(expected, actual, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void Refuses_a_bad_document(string file)
    {
        var document = WorkflowCorpusDocument.Load(file);
        Assert.False(string.IsNullOrEmpty(document.Expect), $"{file} has no '# expect:' line");

        var reading = WorkflowDocuments.Read(document.Text, document.Stage);

        Assert.True(reading.Problem is not null, $"{file} was accepted");
        Assert.True(reading.Problem.Value?.StartsWith(document.Expect, StringComparison.Ordinal) == true, $"{file}: got {reading.Problem.Describe()}");
        if (document.Accepted is { } accepted)
        {
            Assert.True(reading.Problem.Accepted.StartsWith(accepted, StringComparison.Ordinal), $"{file}: got {reading.Problem.Describe()}");
        }
    }

    [Fact]
    public void The_corpus_covers_every_stage_and_every_document_says_what_it_exercises()
    {
        var good = WorkflowCorpusDocument.Files("good").ToList();
        var bad = WorkflowCorpusDocument.Files("bad").ToList();

        Assert.True(good.Count >= 15, $"{good.Count} good documents");
        Assert.True(bad.Count >= 40, $"{bad.Count} bad documents");
        foreach (var stage in Enum.GetValues<WorkflowStage>())
        {
            Assert.Contains(good, f => WorkflowCorpusDocument.Load(f).Stage == stage);
        }

        foreach (var file in good.Concat(bad))
        {
            var text = File.ReadAllText(Path.Combine(WorkflowCorpusDocument.Root, file)).TrimStart('\uFEFF');
            Assert.True(text.StartsWith("# ", StringComparison.Ordinal), $"{file} does not start with a comment");
        }
    }

    [Fact]
    public void Every_good_document_of_a_stage_is_refused_where_its_stage_only_actions_cannot_run()
    {
        // The stage check is real: a distribution document read as a build workflow fails on its first distribution action.
        var gated = WorkflowCorpusDocument.Load(Path.Combine("good", "distribution-gated.yml"));

        var reading = WorkflowDocuments.Read(gated.Text, WorkflowStage.Build);

        Assert.NotNull(reading.Problem);
        Assert.Contains("action DistributeImage in step \"DistributeCopies\" of a BUILD workflow", reading.Problem.Value, StringComparison.Ordinal);
    }
}
