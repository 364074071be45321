using System.Text.RegularExpressions;

namespace AmiInfra.Declaration;

/// <summary>Reads the <c>delivery</c> block: the deployment pipeline a factory asks for.</summary>
internal static partial class DeliveryReader
{
    /// <summary>The deployment stages, in the order the pipeline runs them.</summary>
    public static readonly IReadOnlyList<string> Stages = ["regions", "factory", "targets"];

    /// <summary>The fields of <c>delivery</c>.</summary>
    public static readonly string[] Fields = ["connectionArn", "repository", "branch", "protectedStages"];

    public static DeliverySettings? Read(JsonFields factory)
    {
        var d = factory.OptionalObject("delivery", Fields);
        if (d is null)
        {
            return null;
        }

        var connection = FactoryLoader.Matching(d, "connectionArn", ConnectionArn(), "a CodeConnections (CodeStar connections) ARN such as arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789");
        var repository = FactoryLoader.Matching(d, "repository", Repository(), "a repository as owner/name, e.g. acme/golden-amis");
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

    [GeneratedRegex("^arn:aws(?:-cn|-us-gov)?:(?:codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$")]
    private static partial Regex ConnectionArn();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex Repository();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$")]
    private static partial Regex Branch();
}
