using System.Text.Json;
using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>
/// The corpus of component documents: every good one is accepted for each platform it names, with
/// exactly the warnings its header lists (# warning:), and every bad one is refused with the problem
/// its header expects (# expect:, # accepted:).
/// </summary>
public sealed class CorpusTests
{
    public static TheoryData<string, ToePlatforms> GoodDocuments()
    {
        var data = new TheoryData<string, ToePlatforms>();
        foreach (var file in CorpusDocument.Files("good"))
        {
            foreach (var platform in CorpusDocument.Load(file).Platforms)
            {
                data.Add(file, platform);
            }
        }

        return data;
    }

    public static TheoryData<string> BadDocuments() => new(CorpusDocument.Files("bad"));

    [Theory]
    [MemberData(nameof(GoodDocuments))]
    public void Accepts_a_good_document(string file, ToePlatforms platform)
    {
        var document = CorpusDocument.Load(file);

        var reading = ToeDocuments.Read(document.Text, platform);

        Assert.True(reading.Problem is null, $"{file} on {platform}: {reading.Problem?.Describe()}");
        Assert.NotNull(reading.Document);
        Assert.Equal(document.Text, reading.Document.Text);
        Assert.Equal(document.Warnings.Count, reading.Document.Warnings.Count);
        foreach (var (expected, actual) in document.Warnings.Zip(reading.Document.Warnings))
        {
            Assert.StartsWith(expected, actual, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void Refuses_a_bad_document(string file)
    {
        var document = CorpusDocument.Load(file);
        Assert.False(string.IsNullOrEmpty(document.Expect), $"{file} has no '# expect:' line");

        foreach (var platform in document.Platforms)
        {
            var reading = ToeDocuments.Read(document.Text, platform);

            Assert.True(reading.Problem is not null, $"{file} on {platform} was accepted");
            Assert.StartsWith(document.Expect, reading.Problem.Value ?? "", StringComparison.Ordinal);
            if (document.Accepted is { } accepted)
            {
                Assert.StartsWith(accepted, reading.Problem.Accepted, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_corpus_is_large_enough_and_every_document_says_what_it_exercises()
    {
        var good = CorpusDocument.Files("good").ToList();
        var bad = CorpusDocument.Files("bad").ToList();

        Assert.True(good.Count >= 40, $"{good.Count} good documents");
        Assert.True(bad.Count >= 25, $"{bad.Count} bad documents");
        Assert.Contains(good, f => CorpusDocument.Load(f).Platforms.Contains(ToePlatforms.Windows));
        foreach (var file in good.Concat(bad))
        {
            var text = File.ReadAllText(Path.Combine(CorpusDocument.Root, file));
            Assert.True(text.StartsWith("# ", StringComparison.Ordinal), $"{file} does not start with a comment");
        }
    }

    [Fact]
    public void Json_documents_are_json_once_their_header_is_stripped()
    {
        var json = CorpusDocument.Files("good").Where(f => f.EndsWith(".json", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(json);
        foreach (var file in json)
        {
            using var parsed = JsonDocument.Parse(CorpusDocument.Load(file).Text);
            Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        }
    }

    [Fact]
    public void The_extra_phase_is_accepted_with_a_warning()
    {
        var reading = ToeDocuments.Read(CorpusDocument.Load(Path.Combine("good", "linux-cleanup-phase.yml")).Text, ToePlatforms.Linux);

        Assert.Null(reading.Problem);
        Assert.Contains(reading.Document!.Warnings, w => w.Contains("phase \"cleanup\" never runs in Image Builder", StringComparison.Ordinal));
    }
}
