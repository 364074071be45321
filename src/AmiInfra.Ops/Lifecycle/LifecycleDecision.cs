using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>What the retirement rules do to an AMI now.</summary>
public enum LifecycleAction
{
    /// <summary>Nothing.</summary>
    Keep,

    /// <summary>Deprecate it.</summary>
    Deprecate,

    /// <summary>Disable it.</summary>
    Disable,

    /// <summary>Deregister it (and its snapshots when the rules say so).</summary>
    Delete,

    /// <summary>Enable it again: it is disabled, but the rules do not disable it now (an exclusion, or rules that changed).</summary>
    ReEnable,
}

/// <summary>The decision for one AMI.</summary>
/// <param name="Ami">The AMI.</param>
/// <param name="Action">What happens to it now (Keep when an exclusion keeps it).</param>
/// <param name="Reason">Why: the rule that acts, or why none does.</param>
/// <param name="KeptBy">The exclusion that keeps it from <paramref name="WouldBe"/>, or null.</param>
/// <param name="WouldBe">What the rules would do without the exclusion (equal to Action when nothing excludes it).</param>
/// <param name="AlreadyApplied">True when the AMI is already in that state (deprecated or disabled).</param>
/// <param name="Guard">What stands against the action (in use, public, shared): apply refuses it unless --force; null when nothing does.</param>
public sealed record LifecycleDecision(AmiRecord Ami, LifecycleAction Action, string Reason, string? KeptBy, LifecycleAction WouldBe, bool AlreadyApplied, string? Guard = null)
{
    /// <summary>Who the guard stands for: each user of the AMI and each principal that may launch it (kind, id, what they do with it).</summary>
    public IReadOnlyList<(string Kind, string Id, string What)> GuardedFor { get; init; } = [];

    /// <summary>True when apply has something to do for this AMI.</summary>
    public bool Pending => Action != LifecycleAction.Keep && !AlreadyApplied;
}
