using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AmiInfra.Docs;

/// <summary>The XML documentation comments of an assembly (the .xml file the build writes beside it), as Markdown.</summary>
public sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> members;

    private XmlDocs(Dictionary<string, XElement> members) => this.members = members;

    /// <summary>Reads the documentation of <paramref name="assembly"/>; fails when the build wrote none.</summary>
    public static XmlDocs Of(Assembly assembly)
    {
        var file = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{file} not found: the project of {assembly.GetName().Name} must set GenerateDocumentationFile");
        }

        var members = XDocument.Load(file).Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => m, StringComparer.Ordinal);
        return new XmlDocs(members);
    }

    /// <summary>The summary of a type, as one line of Markdown, or null.</summary>
    public string? Summary(Type type) => Text(Member("T:" + Name(type)), "summary");

    /// <summary>The summary of a field or property, as one line of Markdown, or null.</summary>
    public string? Summary(MemberInfo member)
    {
        var id = Name(member.DeclaringType!) + "." + member.Name;
        if (member is not MethodInfo)
        {
            return Text(Member((member is FieldInfo ? "F:" : "P:") + id), "summary");
        }

        // The first overload that has a summary (the id of a method names its parameter types).
        return members.Where(m => m.Key == "M:" + id || m.Key.StartsWith("M:" + id + "(", StringComparison.Ordinal))
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => Text(m.Value, "summary")).FirstOrDefault(t => t is not null);
    }

    /// <summary>The text of a record's positional parameter (its &lt;param&gt;), as one line of Markdown, or null.</summary>
    public string? Parameter(Type type, string name) =>
        Member("T:" + Name(type))?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name) is { } param ? Markdown(param) : null;

    private XElement? Member(string id) => members.GetValueOrDefault(id);

    private static string Name(Type type) => type.FullName!.Replace('+', '.');

    private static string? Text(XElement? member, string element) => member?.Element(element) is { } e ? Markdown(e) : null;

    /// <summary>The element's text: &lt;c&gt; as code, &lt;see cref&gt; as the member's short name, addresses as links, one line.</summary>
    public static string Markdown(XElement element)
    {
        var text = string.Concat(element.Nodes().Select(Node));
        text = Whitespace().Replace(text, " ").Trim();
        return Address().Replace(text, m => $"<{m.Value.TrimEnd('.', ',', ';', ':')}>{m.Value[m.Value.TrimEnd('.', ',', ';', ':').Length..]}");
    }

    private static string Node(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "c" } c => "`" + c.Value + "`",
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref => "`" + ShortName(cref.Value) + "`",
        XElement { Name.LocalName: "see" } see when see.Attribute("langword") is { } word => "`" + word.Value + "`",
        XElement { Name.LocalName: "paramref" or "typeparamref" } p => "`" + (string?)p.Attribute("name") + "`",
        XElement { Name.LocalName: "para" } para => " " + string.Concat(para.Nodes().Select(Node)) + " ",
        XElement e => string.Concat(e.Nodes().Select(Node)),
        _ => "",
    };

    private static string ShortName(string cref)
    {
        var name = cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        name = paren < 0 ? name : name[..paren];
        var parts = name.Split('.');
        return parts.Length >= 2 && cref.StartsWith("T:", StringComparison.Ordinal) ? parts[^1] : string.Join('.', parts.TakeLast(2));
    }

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("https?://[^\\s)<>\"]+")]
    private static partial Regex Address();
}
