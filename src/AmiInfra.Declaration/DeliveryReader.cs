using System.Text.RegularExpressions;
using AmiInfra.Rules;

namespace AmiInfra.Declaration;

/// <summary>Reads the <c>delivery</c> block: the deployment pipeline a factory asks for.</summary>
internal static partial class DeliveryReader
{
    /// <summary>The deployment stages, in the order the pipeline runs them.</summary>
    public static readonly IReadOnlyList<string> Stages = ["regions", "factory", "targets"];

    /// <summary>The fields of <c>delivery</c>.</summary>
    public static readonly string[] Fields = ["connectionArn", "repository", "branch", "protectedStages"];

    public static DeliverySettings? Read(JsonFields f, FactoryContext factory)
    {
        var d = f.OptionalObject("delivery", Fields);
        if (d is null)
        {
            return null;
        }

        var connection = d.Checked("connectionArn", arn => Identifiers.ConnectionArn.Check(arn) ?? Identifiers.ArnInPartition(arn, factory.Partition), Identifiers.ConnectionArn.Accepted);
        var repository = d.Checked("repository", RepositoryName);
        var branch = d.OptionalString("branch", "a branch name") ?? "main";
        if (!Branch().IsMatch(branch) || branch.Contains("..", StringComparison.Ordinal))
        {
            throw new DeclarationException(d.At("branch"), JsonFields.Quote(branch), "a branch name such as main or release/2026");
        }

        var protectedStages = d.OptionalStrings("protectedStages", "one of " + string.Join(", ", Stages)) ?? ["factory", "targets"];
        for (var i = 0; i < protectedStages.Count; i++)
        {
            if (!Stages.Contains(protectedStages[i]))
            {
                throw new DeclarationException($"{d.At("protectedStages")}[{i}]", JsonFields.Quote(protectedStages[i]), "one of the stages " + string.Join(", ", Stages));
            }
        }

        return new DeliverySettings(connection, repository, branch, protectedStages.Distinct(StringComparer.Ordinal).ToList());
    }

    private static readonly Shape RepositoryName = new(Repository(), "a repository as owner/name, e.g. acme/golden-amis");

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex Repository();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$")]
    private static partial Regex Branch();
}
