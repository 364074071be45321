namespace AmiInfra.Ops.Usage;

/// <summary>How complete the check of who uses an AMI must be before a destructive command acts (--usage-check).</summary>
public enum UsageCheck
{
    /// <summary>Every kind of user must be looked for; when one cannot be (a denied call, an API not offered), the command stops and changes nothing. The default.</summary>
    Complete,

    /// <summary>Act on what could be checked; the report says exactly what was not.</summary>
    Partial,
}
