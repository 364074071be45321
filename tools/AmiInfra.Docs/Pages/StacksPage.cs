using System.Text;
using AmiInfra.App.Stacks;

namespace AmiInfra.Docs.Pages;

/// <summary>docs/reference/stacks.md: the stacks of a factory and what each holds, from the composition's and the stack classes' documentation.</summary>
public static class StacksPage
{
    /// <summary>The page.</summary>
    public static Page Page { get; } = new("docs/reference/stacks.md", "the stack classes of src/AmiInfra.App/Stacks and their documentation comments", Generate);

    private static string Generate()
    {
        var docs = XmlDocs.Of(typeof(FactoryComposition).Assembly);
        var record = typeof(FactoryComposition.Stacks);
        (string Parameter, Type Stack)[] stacks =
        [
            ("Regional", typeof(RegionalStack)),
            ("Factory", typeof(FactoryStack)),
            ("Images", typeof(ImageStack)),
            ("Targets", typeof(TargetsStack)),
            ("Delivery", typeof(DeliveryStack)),
        ];
        var composed = record.GetConstructors().Single().GetParameters().Select(p => p.Name!).ToList();
        var missing = composed.Except(stacks.Select(s => s.Parameter)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"FactoryComposition.Stacks has stacks this page does not describe: {string.Join(", ", missing)}");
        }

        var text = new StringBuilder();
        text.Append("# Stacks reference\n\n");
        text.Append(docs.Summary(typeof(FactoryComposition))).Append("\n\n");
        text.Append($"Image stacks: every image belongs to one of {ImageStack.ShardCount} stacks, the one its name hashes to.\n");
        text.Append("Every stack carries the tag `amiinfra:factory` with the factory's name.\n\n");
        text.Append("| stack | how many | what it holds |\n|---|---|---|\n");
        foreach (var (parameter, stack) in stacks)
        {
            text.Append($"| `{stack.Name}` | {Markdown.Cell(docs.Parameter(record, parameter))} | {Markdown.Cell(docs.Summary(stack))} |\n");
        }

        text.Append("\nWhen the declaration has a `delivery` block, the same stacks are the stages of the deployment pipeline\n");
        text.Append("(regions, then factory, then targets), and the delivery stack is the only top-level stack.\n");
        text.Append("How to deploy them: [the deploying guide](../guide/deploying.md).\n");
        return text.ToString();
    }
}
