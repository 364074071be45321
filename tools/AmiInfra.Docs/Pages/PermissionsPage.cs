using System.Text;
using System.Text.Json.Nodes;

namespace AmiInfra.Docs.Pages;

/// <summary>docs/reference/permissions.md: the IAM policies of docs/iam, statement by statement.</summary>
public static class PermissionsPage
{
    /// <summary>The page.</summary>
    public static Page Page { get; } = new("docs/reference/permissions.md", "the IAM policies of docs/iam/*.json", Generate);

    private static string Generate()
    {
        var text = new StringBuilder();
        text.Append("# Permissions reference\n\n");
        text.Append("The IAM policies the `amiinfra` commands need, one per command group, in [`docs/iam/`](../iam/). The tests run\n");
        text.Append("every command with exactly its group's policy (an interceptor refuses every other action, as AWS would).\n");
        text.Append("Which command needs which policy: [the command-line guide](../guide/cli.md#permissions). The permissions the\n");
        text.Append("deployed templates write, and the AWS page each follows: [verified against AWS's documentation](../guide/verified-against-aws.md).\n\n");
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "docs", "iam"), "*.json").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var policy = JsonNode.Parse(File.ReadAllText(file))!;
            text.Append($"## {Path.GetFileNameWithoutExtension(file)}\n\n[`docs/iam/{name}`](../iam/{name})\n\n");
            text.Append("| statement | effect | actions | resources | conditions |\n|---|---|---|---|---|\n");
            foreach (var statement in policy["Statement"]!.AsArray())
            {
                text.Append($"| {Markdown.Cell((string?)statement!["Sid"])} | {(string?)statement["Effect"]} | {List(statement["Action"] ?? statement["NotAction"])} | {List(statement["Resource"] ?? statement["NotResource"])} | {Conditions(statement["Condition"])} |\n");
            }

            text.Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static string List(JsonNode? node) => node switch
    {
        null => "—",
        JsonArray items => string.Join(", ", items.Select(i => $"`{(string?)i}`")),
        _ => $"`{(string?)node}`",
    };

    private static string Conditions(JsonNode? node) =>
        node is not JsonObject operators
            ? "—"
            : Markdown.Cell(string.Join("; ", operators.SelectMany(o => o.Value!.AsObject().Select(k => $"`{o.Key}` `{k.Key}`: {List(k.Value)}"))));
}
