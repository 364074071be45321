using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>What the retirement rules do to an AMI now.</summary>
public enum RetirementAction
{
    /// <summary>Nothing.</summary>
    Keep,

    /// <summary>Deprecate it.</summary>
    Deprecate,

    /// <summary>Disable it.</summary>
    Disable,

    /// <summary>Deregister it (and its snapshots when the rules say so).</summary>
    Delete,
}

/// <summary>The decision for one AMI.</summary>
/// <param name="Ami">The AMI.</param>
/// <param name="Action">What happens to it now (Keep when an exclusion keeps it).</param>
/// <param name="Reason">Why: the rule that acts, or why none does.</param>
/// <param name="KeptBy">The exclusion that keeps it from <paramref name="WouldBe"/>, or null.</param>
/// <param name="WouldBe">What the rules would do without the exclusion (equal to Action when nothing excludes it).</param>
/// <param name="AlreadyApplied">True when the AMI is already in that state (deprecated or disabled).</param>
public sealed record LifecycleDecision(AmiRecord Ami, RetirementAction Action, string Reason, string? KeptBy, RetirementAction WouldBe, bool AlreadyApplied);
