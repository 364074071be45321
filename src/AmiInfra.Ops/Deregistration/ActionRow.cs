namespace AmiInfra.Ops.Deregistration;

/// <summary>One line of a destructive command's report: a resource, and what happened or would happen to it.</summary>
/// <param name="Resource">"image" or "snapshot".</param>
/// <param name="Id">The resource id.</param>
/// <param name="ImageId">The AMI it belongs to.</param>
/// <param name="Result">What happened (or, in a dry run, what would).</param>
/// <param name="Failed">True when AWS refused it.</param>
public sealed record ActionRow(string Resource, string Id, string ImageId, string Result, bool Failed = false);
