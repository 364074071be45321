namespace AmiInfra.Ops.Deregistration;

/// <summary>One line of a destructive command's report: a resource, and what happened or would happen to it.</summary>
/// <param name="Resource">"image", "snapshot", or a user of an AMI ("instance", "launch-template", "account", ...).</param>
/// <param name="Id">The resource id.</param>
/// <param name="ImageId">The AMI it belongs to.</param>
/// <param name="Result">What happened (or, in a dry run, what would).</param>
/// <param name="Failed">True when AWS refused it.</param>
/// <param name="Refused">True when a guard refused it (the AMI is in use, shared, public or not the factory's).</param>
/// <param name="NotOwned">True when the AMI belongs to another account and was not touched.</param>
public sealed record ActionRow(string Resource, string Id, string ImageId, string Result, bool Failed = false, bool Refused = false, bool NotOwned = false);
