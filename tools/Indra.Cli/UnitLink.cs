using System;
using System.IO;
using System.IO.Ports;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IndraSmartPro.Cli;

/// <summary>One connection to a unit's commissioning console: line-delimited JSON requests and responses.</summary>
public sealed class UnitLink : IDisposable
{
    /// <summary>How long to wait for a response.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Stream _stream;
    private readonly IDisposable _owner;
    private readonly StreamReader _reader;
    private int _nextId = 1;

    private UnitLink(Stream stream, IDisposable owner)
    {
        _stream = stream;
        _owner = owner;
        _reader = new StreamReader(stream, new UTF8Encoding(false));
    }

    /// <summary>The installer secret sent with every request but identity (null: none).</summary>
    public string Secret { get; set; }

    /// <summary>Connects to HOST:PORT.</summary>
    public static UnitLink OpenTcp(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), out int port))
        {
            throw new CliException("--tcp needs HOST:PORT, got '" + endpoint + "'");
        }

        var client = new TcpClient();
        try
        {
            client.Connect(endpoint.Substring(0, colon), port);
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new CliException("cannot connect to " + endpoint + ": " + e.Message);
        }

        var stream = client.GetStream();
        stream.ReadTimeout = (int)Timeout.TotalMilliseconds;
        return new UnitLink(stream, client);
    }

    /// <summary>Opens the unit's USB serial console (115200 8N1, the ESP32's default).</summary>
    public static UnitLink OpenSerial(string portName)
    {
        var port = new SerialPort(portName, 115200, Parity.None, 8, StopBits.One);
        port.ReadTimeout = (int)Timeout.TotalMilliseconds;
        try
        {
            port.Open();
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
        {
            port.Dispose();
            throw new CliException("cannot open " + portName + ": " + e.Message);
        }

        return new UnitLink(port.BaseStream, port);
    }

    /// <summary>Sends one request (v, id and secret added) and returns the unit's response; a refusal throws with the unit's message.</summary>
    public JsonObject Request(string op, JsonObject fields = null)
    {
        var request = new JsonObject { ["v"] = 1, ["id"] = _nextId++, ["op"] = op };
        if (Secret != null && op != "identity")
        {
            request["secret"] = Secret;
        }

        if (fields != null)
        {
            foreach (var pair in fields)
            {
                request[pair.Key] = pair.Value?.DeepClone();
            }
        }

        byte[] line = Encoding.UTF8.GetBytes(request.ToJsonString() + "\n");
        _stream.Write(line, 0, line.Length);
        _stream.Flush();
        string response;
        try
        {
            response = _reader.ReadLine();
        }
        catch (IOException)
        {
            throw new CliException("no response from the unit within " + Timeout.TotalSeconds + " s");
        }

        if (response == null)
        {
            throw new CliException("the unit closed the connection");
        }

        JsonObject parsed;
        try
        {
            parsed = JsonNode.Parse(response) as JsonObject;
        }
        catch (JsonException)
        {
            parsed = null;
        }

        if (parsed == null)
        {
            throw new CliException("the unit answered something that is not a JSON object: " + response);
        }

        if (parsed["ok"]?.GetValue<bool>() != true)
        {
            throw new CliException(op + " refused (" + parsed["error"] + "): " + parsed["message"]);
        }

        return parsed;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _owner.Dispose();
    }
}

/// <summary>A failure to report to the user in one line (exit code 1).</summary>
public sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }
}
