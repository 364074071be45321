namespace AmiInfra.Constructs.Release;

/// <summary>What the release roles have in common, in the factory account and in the target-account StackSet.</summary>
internal static class ReleaseRoles
{
    /// <summary>
    /// A trust policy that lets one AWS service assume the role, on behalf of <paramref name="sourceAccount"/> only when
    /// given (aws:SourceAccount: the confused-deputy guard for a service that acts for resources of an account).
    /// </summary>
    public static Dictionary<string, object> ServiceTrust(string service, string? sourceAccount = null)
    {
        var statement = new Dictionary<string, object>
        {
            ["Effect"] = "Allow",
            ["Principal"] = new Dictionary<string, object> { ["Service"] = service },
            ["Action"] = "sts:AssumeRole",
        };
        if (sourceAccount is not null)
        {
            statement["Condition"] = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = sourceAccount } };
        }

        return new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = new object[] { statement } };
    }
}
