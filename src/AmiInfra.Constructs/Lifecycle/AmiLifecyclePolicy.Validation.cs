using AmiInfra.Rules;

namespace AmiInfra.Constructs.Lifecycle;

/// <summary>The checks of a lifecycle policy's props, each a rule of <c>AmiInfra.Rules</c> applied at its prop.</summary>
public sealed partial class AmiLifecyclePolicy
{
    private static readonly string[] StepNames = ["Deprecate", "Disable", "Delete"];

    private static void Check(string id, AmiLifecyclePolicyProps props)
    {
        Checks.Shape($"{id}.LifecyclePolicyName", props.LifecyclePolicyName!, PhysicalNames.ImageBuilderResource);
        Checks.Description($"{id}.Description", props.Description);

        CheckSelection(id, props);
        CheckSteps(id, props);
        CheckExclusions($"{id}.Exclusions", props.Exclusions);
        Checks.Require($"{id}.Exclusions.Tags", Lifecycles.ExclusionTags(props.Exclusions.Tags, props.RetentionWindows), key => key);
    }

    private static void CheckSelection(string id, AmiLifecyclePolicyProps props)
    {
        if (props.Recipes.Count == 0 && props.ImageTags.Count == 0)
        {
            throw new ConstructValidationException($"{id}.Recipes", null, "at least one recipe or image tag selecting the images the policy retires");
        }

        Checks.Require($"{id}.Recipes", Lists.AtMost(props.Recipes.Count, Lifecycles.MaxRecipes, "recipes", "the Image Builder limit per policy"));
        for (var i = 0; i < props.Recipes.Count; i++)
        {
            Checks.Shape($"{id}.Recipes[{i}].Name", props.Recipes[i].Name, PhysicalNames.ImageBuilderResource);
            Checks.Shape($"{id}.Recipes[{i}].Version", props.Recipes[i].Version, Identifiers.VersionFilter);
        }

        Checks.Require($"{id}.ImageTags", Lists.AtMost(props.ImageTags.Count, Lifecycles.MaxTags, "tags", "the Image Builder limit"));
        Checks.Tags($"{id}.ImageTags", props.ImageTags, TagRules.Lifecycle);
    }

    private static void CheckSteps(string id, AmiLifecyclePolicyProps props)
    {
        var rules = new[] { props.Deprecate, props.Disable, props.Delete };
        if (rules.All(r => r is null))
        {
            throw new ConstructValidationException($"{id}.Delete", null, "at least one of Deprecate, Disable or Delete");
        }

        var steps = new List<LifecycleStepRule>();
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i] is { } rule)
            {
                steps.Add(new LifecycleStepRule(Lifecycles.StepNames[i], rule.AfterDays, rule.KeepNewest));
            }
        }

        // The props name the parts as the declaration does, with capitals: Delete.KeepNewest.
        Checks.Require(id, Lifecycles.Steps(steps, props.KeepAtLeast, part => char.ToUpperInvariant(part[0]) + part[1..]), part => part);
    }

    private static void CheckExclusions(string where, LifecycleExclusions e)
    {
        if (e.LaunchedWithinDays is { } days)
        {
            Checks.Range($"{where}.LaunchedWithinDays", days, Lifecycles.LastLaunchedDays, "days");
        }

        Checks.Require($"{where}.Tags", Lists.AtMost(e.Tags.Count, Lifecycles.MaxTags, "tags", "the Image Builder limit"));
        Checks.Tags($"{where}.Tags", e.Tags, TagRules.Lifecycle);
        Checks.Require($"{where}.Regions", Lists.Check(e.Regions, Partitions.Region, Checks.IsToken));
        Checks.Require($"{where}.SharedWithAccounts", Lists.AtMost(e.SharedWithAccounts.Count, Lifecycles.MaxSharedAccounts, "accounts", "the Image Builder limit"));
        Checks.List($"{where}.SharedWithAccounts", e.SharedWithAccounts, Identifiers.AccountId);
    }
}
