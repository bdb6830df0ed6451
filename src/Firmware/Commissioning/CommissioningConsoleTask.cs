using IndraSmartPro.Scheduling;
using IndraSmartPro.Json;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Commissioning
{
    /// <summary>
    /// A byte channel carrying the console: the ESP32's USB serial port on the device, stdin or a
    /// TCP connection in the simulator. Both calls return at once (never block the scheduler).
    /// </summary>
    public interface IConsolePort
    {
        /// <summary>Copies up to <paramref name="count"/> received bytes into <paramref name="buffer"/> at <paramref name="offset"/>; returns how many (0 when none waiting).</summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Queues <paramref name="count"/> bytes for sending.</summary>
        void Write(byte[] buffer, int offset, int count);
    }

    /// <summary>
    /// The USB console transport of the commissioning protocol: line-delimited JSON (one request per
    /// line, '\n'; one response line each). A low-priority scheduler task: it reads what has arrived,
    /// and handles at most one complete line per run, so a request never delays protection by more
    /// than one store write. A line longer than <see cref="CommissioningService.MaxRequestBytes"/>
    /// is refused whole with a bad-request response.
    /// </summary>
    public sealed class CommissioningConsoleTask : IPeriodicTask
    {
        /// <summary>Period: 20 ms, quick for a person or a tool and cheap when idle.</summary>
        public const int PeriodMicroseconds = 20000;

        /// <summary>Budget on the device: a request with a store write (flash: milliseconds).</summary>
        public const int BudgetMicroseconds = 20000;

        private readonly CommissioningService _service;
        private readonly IConsolePort _port;
        private readonly byte[] _line = new byte[CommissioningService.MaxRequestBytes];
        private readonly byte[] _chunk = new byte[256];
        private readonly JsonWriter _response = new JsonWriter(CommissioningService.MaxResponseBytes);
        private int _length;
        private bool _overlong;
        private int _pending;
        private int _pendingOffset;

        /// <summary>Serves <paramref name="service"/> on <paramref name="port"/>.</summary>
        public CommissioningConsoleTask(CommissioningService service, IConsolePort port)
        {
            _service = service;
            _port = port;
        }

        /// <inheritdoc />
        public void Run(long nowMicroseconds)
        {
            while (true)
            {
                if (_pending == 0)
                {
                    _pendingOffset = 0;
                    _pending = _port.Read(_chunk, 0, _chunk.Length);
                    if (_pending == 0)
                    {
                        return;
                    }
                }

                while (_pending > 0)
                {
                    byte b = _chunk[_pendingOffset++];
                    _pending--;
                    if (b == (byte)'\n')
                    {
                        Complete();

                        // One request per run; the rest of the chunk waits for the next run.
                        return;
                    }

                    if (b == (byte)'\r')
                    {
                        continue;
                    }

                    if (_length < _line.Length)
                    {
                        _line[_length++] = b;
                    }
                    else
                    {
                        _overlong = true;
                    }
                }
            }
        }

        private void Complete()
        {
            if (_length == 0 && !_overlong)
            {
                return;
            }

            if (_overlong)
            {
                _response.Reset();
                _response.BeginObject();
                _response.Property("v", CommissioningService.ProtocolVersion);
                _response.PropertyBool("ok", false);
                _response.Property("error", "bad-request");
                _response.Property("message", "request: longer than 6144 bytes");
                _response.EndObject();
            }
            else
            {
                _service.Handle(_line, _length, CommissioningTransports.Console, _response);
            }

            _length = 0;
            _overlong = false;
            _port.Write(_response.Buffer, 0, _response.Length);
            _port.Write(NewLine, 0, 1);
        }

        private static readonly byte[] NewLine = new byte[] { (byte)'\n' };
    }

    /// <summary>Restarts the unit after a "reboot" request was answered.</summary>
    public interface IRebootHandler
    {
        /// <summary>Restarts: the device reboots; the simulator rebuilds the firmware from the store.</summary>
        void Reboot();
    }

    /// <summary>
    /// Carries out an answered "reboot" request once the response has had time to leave (console
    /// or MQTT), by the host's <see cref="IRebootHandler"/>.
    /// </summary>
    public sealed class RebootTask : IPeriodicTask
    {
        /// <summary>Period: 100 ms.</summary>
        public const int PeriodMicroseconds = 100000;

        /// <summary>Budget: one comparison (the reboot itself does not return on the device).</summary>
        public const int BudgetMicroseconds = 50;

        private readonly CommissioningService _service;
        private readonly IRebootHandler _handler;

        /// <summary>Reboots through <paramref name="handler"/> when <paramref name="service"/> asks.</summary>
        public RebootTask(CommissioningService service, IRebootHandler handler)
        {
            _service = service;
            _handler = handler;
        }

        /// <inheritdoc />
        public void Run(long nowMicroseconds)
        {
            if (_service.RebootRequested && nowMicroseconds >= _service.RebootAtMicroseconds)
            {
                _service.RebootRequested = false;
                _handler.Reboot();
            }
        }
    }
}
