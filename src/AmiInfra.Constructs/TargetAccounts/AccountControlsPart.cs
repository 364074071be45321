using AmiInfra.Constructs.Governance;

namespace AmiInfra.Constructs.TargetAccounts;

/// <summary>
/// The account controls for AMIs (<see cref="AccountControls"/>) as a part of the <see cref="TargetAccountStackSet"/>
/// template: regional, so in every region of the stack instances, and in every account but the factory's.
/// </summary>
internal static class AccountControlsPart
{
    /// <summary>
    /// The condition that holds in every account but the factory's: should the factory account be in a target OU,
    /// its regional stacks already set its controls (with the same function name), so the StackSet does not.
    /// </summary>
    public const string NotFactoryAccountCondition = TargetAccountTemplate.NotFactoryAccountCondition;

    /// <summary>The condition of the controls when the stack instances span more regions than the controls' (<see cref="TargetAccountTemplate.InRegions"/>).</summary>
    public const string InControlRegionsCondition = "InControlRegionsNotFactoryAccount";

    private const string StackSetKeyPlaceholder = "amiinfra:stackset-ebs-key";

    /// <summary>Adds the controls (regional, under <see cref="NotFactoryAccountCondition"/>) to <paramref name="template"/>.</summary>
    /// <param name="template">The StackSet template.</param>
    /// <param name="controls">The controls.</param>
    /// <param name="where">The construct path of the StackSet, for errors.</param>
    /// <param name="ebsKeyAlias">
    /// The alias of a key the StackSet creates in every account and region (<see cref="EbsDefaultKeyPart"/>) as the
    /// default EBS key; null to take <see cref="AccountControlsProps.EbsDefaultKey"/> as it is.
    /// </param>
    /// <param name="regions">The regions the controls are set in (the stack instances may span more).</param>
    public static void AddTo(TargetAccountTemplate template, AccountControlsProps controls, string where, IReadOnlyList<string> regions, string? ebsKeyAlias = null)
    {
        var condition = template.InRegions(InControlRegionsCondition, regions, template.NotFactoryAccount())!;
        template.Describe("the account controls for AMIs (in every region of the stack instances)");
        template.AddPlaceholder();
        if (ebsKeyAlias is not null)
        {
            EbsDefaultKeyPart.AddTo(template, ebsKeyAlias, condition);

            // The controls name the key by a placeholder, replaced below by the key's ARN in this template.
            controls = controls with { EbsDefaultKey = StackSetKeyPlaceholder };
        }

        foreach (var resource in AccountControls.Render(controls, $"{where}/AccountControls"))
        {
            var properties = resource.Definition.Properties;
            if (ebsKeyAlias is not null && properties.TryGetValue("DefaultKey", out var key) && key as string == StackSetKeyPlaceholder)
            {
                properties = new Dictionary<string, object>(properties) { ["DefaultKey"] = EbsDefaultKeyPart.KeyArn };
            }

            var entry = new Dictionary<string, object> { ["Type"] = resource.Definition.Type, ["Condition"] = condition, ["Properties"] = properties };
            if (resource.Definition.Acknowledgements.Count > 0)
            {
                entry["Metadata"] = new Dictionary<string, object> { [NagMetadata.Key] = NagMetadata.Render(resource.Definition.Acknowledgements) };
            }

            if (AccountControls.DeletedWithTheStack.Contains(resource.LogicalId))
            {
                entry["DeletionPolicy"] = "Delete";
                entry["UpdateReplacePolicy"] = "Delete";
            }

            template.AddRegional(resource.LogicalId, entry);
        }
    }
}
