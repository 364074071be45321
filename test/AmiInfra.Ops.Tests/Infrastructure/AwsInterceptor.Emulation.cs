using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using System.Xml.Linq;

namespace AmiInfra.Ops.Tests.Infrastructure;

/// <summary>
/// Answers for the EC2 APIs moto 5.2 does not implement (it answers them with an HTML 500):
/// - <see cref="Respond"/>: any action, with a fixed answer (DescribeImageReferences, block public access);
/// - <see cref="EmulateDeregistrationProtection"/>: EnableImageDeregistrationProtection and
///   DisableImageDeregistrationProtection set the deregistrationProtection later DescribeImages responses show;
/// - <see cref="EmulateImageStates"/>: EnableImageDeprecation, DisableImage, EnableImage change the
///   deprecationTime and imageState that later DescribeImages responses show;
/// - <see cref="EmulateRecycleBin"/>: an AMI moto deregistered, and a snapshot moto deleted, go to a
///   Recycle Bin that ListImagesInRecycleBin / ListSnapshotsInRecycleBin list, and
///   RestoreImageFromRecycleBin / RestoreSnapshotFromRecycleBin put back into DescribeImages /
///   DescribeSnapshots responses (as EC2 restores them: same id, same data), and answers
///   DescribeImageAttribute for a restored AMI.
/// </summary>
public sealed partial class AwsInterceptor
{
    private const string Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private readonly Lock emulation = new();
    private readonly Dictionary<string, XElement> seenImages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XElement> seenSnapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (XElement Item, DateTime Entered)> binImages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (XElement Item, DateTime Entered)> binSnapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XElement> restoredImages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XElement> restoredSnapshots = new(StringComparer.Ordinal);
    private bool recycleBin;

    /// <summary>Answers every call of <paramref name="action"/> that matches with a 200 response holding <paramref name="innerXml"/>; moto never sees it.</summary>
    public AwsInterceptor Respond(string action, string innerXml, Func<AwsCall, bool>? when = null)
    {
        faults.Add(call => call.Action == action && (when?.Invoke(call) ?? true) ? Ok(action, innerXml) : null);
        return this;
    }

    /// <summary>Emulates EnableImageDeprecation, DisableImage and EnableImage (moto has none of them).</summary>
    public AwsInterceptor EmulateImageStates()
    {
        faults.Add(call =>
        {
            var id = call.Parameters.GetValueOrDefault("ImageId") ?? "";
            switch (call.Action)
            {
                case "EnableImageDeprecation":
                    SetImageField(id, "deprecationTime", call.Parameters["DeprecateAt"]);
                    return Ok(call.Action, "<return>true</return>");
                case "DisableImage":
                    SetImageField(id, "imageState", "disabled");
                    return Ok(call.Action, "<return>true</return>");
                case "EnableImage":
                    SetImageField(id, "imageState", "available");
                    return Ok(call.Action, "<return>true</return>");
                default:
                    return null;
            }
        });
        return this;
    }

    /// <summary>
    /// Emulates EnableImageDeregistrationProtection and DisableImageDeregistrationProtection (moto 5.2 has neither): the
    /// AMI's deregistrationProtection in later DescribeImages responses becomes "enabled" or "disabled" (the cooldown
    /// is not emulated), and <see cref="Protection"/> tells the tests.
    /// </summary>
    public AwsInterceptor EmulateDeregistrationProtection()
    {
        faults.Add(call =>
        {
            var id = call.Parameters.GetValueOrDefault("ImageId") ?? "";
            var value = call.Action switch
            {
                "EnableImageDeregistrationProtection" => "enabled",
                "DisableImageDeregistrationProtection" => "disabled",
                _ => null,
            };
            if (value is null)
            {
                return null;
            }

            lock (emulation)
            {
                SetImageField(id, "deregistrationProtection", value);
            }

            return Ok(call.Action, "<return>true</return>");
        });
        return this;
    }

    /// <summary>An AMI's deregistration protection as the emulation holds it ("enabled", "disabled"), or null when never set.</summary>
    public string? Protection(string imageId)
    {
        lock (emulation)
        {
            return imageFields.TryGetValue(imageId, out var fields) ? fields.GetValueOrDefault("deregistrationProtection") : null;
        }
    }

    /// <summary>Emulates the Recycle Bin (moto has none): see the class summary.</summary>
    public AwsInterceptor EmulateRecycleBin()
    {
        recycleBin = true;
        faults.Add(call =>
        {
            lock (emulation)
            {
                switch (call.Action)
                {
                    case "ListImagesInRecycleBin":
                        var ids = Indexed(call, "ImageId");
                        var images = binImages.Where(b => ids.Count == 0 || ids.Contains(b.Key)).Select(b => BinItem("imageId", b.Key, b.Value.Item, b.Value.Entered));
                        return Ok(call.Action, $"<imageSet>{string.Concat(images)}</imageSet>");
                    case "ListSnapshotsInRecycleBin":
                        return Ok(call.Action, $"<snapshotSet>{string.Concat(binSnapshots.Select(b => BinItem("snapshotId", b.Key, b.Value.Item, b.Value.Entered)))}</snapshotSet>");
                    case "DescribeImageAttribute" when restoredImages.ContainsKey(call.Parameters["ImageId"]):
                        // moto forgot the AMI when it deregistered it: a restored AMI comes back private, as EC2 restores it.
                        return Ok(call.Action, $"<imageId>{call.Parameters["ImageId"]}</imageId><launchPermission/>");
                    case "RestoreImageFromRecycleBin":
                        return Restore(call, "ImageId", binImages, restoredImages, "InvalidAMIID.NotFound");
                    case "RestoreSnapshotFromRecycleBin":
                        return Restore(call, "SnapshotId", binSnapshots, restoredSnapshots, "InvalidSnapshot.NotFound");
                    default:
                        return null;
                }
            }
        });
        return this;
    }

    private void AfterForward(AwsCall call, bool succeeded)
    {
        if (!recycleBin || !succeeded)
        {
            return;
        }

        lock (emulation)
        {
            if (call.Action == "DeregisterImage" && seenImages.TryGetValue(call.Parameters["ImageId"], out var image))
            {
                binImages[call.Parameters["ImageId"]] = (image, DateTime.UtcNow);
                restoredImages.Remove(call.Parameters["ImageId"]);
            }
            else if (call.Action == "DeleteSnapshot" && seenSnapshots.TryGetValue(call.Parameters["SnapshotId"], out var snapshot))
            {
                binSnapshots[call.Parameters["SnapshotId"]] = (snapshot, DateTime.UtcNow);
                restoredSnapshots.Remove(call.Parameters["SnapshotId"]);
            }
        }
    }

    private void CaptureAndRestoreImages(AwsCall call, XElement? set, XNamespace ns)
    {
        if (!recycleBin || set is null)
        {
            return;
        }

        lock (emulation)
        {
            foreach (var item in set.Elements(ns + "item"))
            {
                seenImages[item.Element(ns + "imageId")!.Value] = new XElement(item);
            }

            var ids = Indexed(call, "ImageId");
            var selfListing = call.Parameters.Values.Contains("self");
            foreach (var (id, item) in restoredImages)
            {
                if (ids.Contains(id) || (ids.Count == 0 && selfListing && MatchesTagFilters(call, item, ns)))
                {
                    set.Add(new XElement(item));
                }
            }
        }
    }

    private void CaptureAndRestoreSnapshots(AwsCall call, XElement? set, XNamespace ns)
    {
        if (!recycleBin || set is null)
        {
            return;
        }

        lock (emulation)
        {
            foreach (var item in set.Elements(ns + "item"))
            {
                seenSnapshots[item.Element(ns + "snapshotId")!.Value] = new XElement(item);
            }

            if (!call.Parameters.Keys.Any(k => k.StartsWith("Filter.", StringComparison.Ordinal)))
            {
                set.Add(restoredSnapshots.Values.Select(i => new XElement(i)));
            }
        }
    }

    private static bool MatchesTagFilters(AwsCall call, XElement item, XNamespace ns)
    {
        var tags = item.Element(ns + "tagSet")?.Elements(ns + "item").ToDictionary(t => t.Element(ns + "key")!.Value, t => t.Element(ns + "value")?.Value ?? "") ?? [];
        for (var n = 1; call.Parameters.TryGetValue($"Filter.{n}.Name", out var name); n++)
        {
            if (name.StartsWith("tag:", StringComparison.Ordinal) && tags.GetValueOrDefault(name[4..]) != call.Parameters.GetValueOrDefault($"Filter.{n}.Value.1"))
            {
                return false;
            }
        }

        return true;
    }

    private static HttpResponseMessage Restore(AwsCall call, string parameter, Dictionary<string, (XElement Item, DateTime Entered)> bin, Dictionary<string, XElement> restored, string notFound)
    {
        var id = call.Parameters[parameter];
        if (!bin.Remove(id, out var entry))
        {
            return Error(notFound, $"'{id}' is not in the Recycle Bin", HttpStatusCode.BadRequest);
        }

        restored[id] = entry.Item;
        return Ok(call.Action, "<return>true</return>");
    }

    private static string BinItem(string idElement, string id, XElement item, DateTime entered)
    {
        var ns = item.Name.Namespace;
        string Text(string name) => SecurityElement.Escape(item.Element(ns + name)?.Value ?? "");
        var time = entered.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var exit = entered.AddDays(14).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        return $"<item><{idElement}>{id}</{idElement}><name>{Text("name")}</name><description>{Text("description")}</description><recycleBinEnterTime>{time}</recycleBinEnterTime><recycleBinExitTime>{exit}</recycleBinExitTime></item>";
    }

    private static HashSet<string> Indexed(AwsCall call, string prefix) =>
        call.Parameters.Where(p => p.Key.StartsWith(prefix + ".", StringComparison.Ordinal)).Select(p => p.Value).ToHashSet(StringComparer.Ordinal);

    private static HttpResponseMessage Ok(string action, string innerXml)
    {
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><{action}Response xmlns=\"{Namespace}\"><requestId>injected</requestId>{innerXml}</{action}Response>";
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };
    }
}
