namespace AmiInfra.Ops.Core;

/// <summary>An error to show the user as one line, with the exit code it ends the process with.</summary>
public sealed class OpsException : Exception
{
    /// <summary>Creates the error.</summary>
    public OpsException(int exitCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    /// <summary>The exit code (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }
}
