namespace AmiInfra.Ops.Output;

/// <summary>
/// A one-line progress display on standard error, shown only when standard error is a terminal, so
/// that it never mixes into a report (standard output) or into a redirected log.
/// </summary>
public sealed class Progress
{
    private readonly TextWriter? output;
    private readonly Lock gate = new();
    private int lastLength;

    /// <summary>Creates the display; <paramref name="enabled"/> false makes every call a no-op.</summary>
    public Progress(TextWriter error, bool enabled)
    {
        output = enabled ? error : null;
    }

    /// <summary>Replaces the progress line.</summary>
    public void Report(string status)
    {
        if (output is null)
        {
            return;
        }

        lock (gate)
        {
            output.Write("\r" + status.PadRight(lastLength));
            lastLength = status.Length;
            output.Flush();
        }
    }

    /// <summary>Erases the progress line.</summary>
    public void Done()
    {
        if (output is null)
        {
            return;
        }

        lock (gate)
        {
            if (lastLength > 0)
            {
                output.Write("\r" + new string(' ', lastLength) + "\r");
                output.Flush();
                lastLength = 0;
            }
        }
    }
}
