using System;
using IndraSmartPro.Board;
using IndraSmartPro.Commissioning;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Features.Curtailment;
using IndraSmartPro.Features.SmartCharging;
using IndraSmartPro.Json;
using IndraSmartPro.Metering;
using IndraSmartPro.Network;
using IndraSmartPro.Persistence;
using IndraSmartPro.Pests;
using IndraSmartPro.Safety;
using IndraSmartPro.Scheduling;
using IndraSmartPro.Telemetry;
using IndraSmartPro.Time;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// The whole firmware, built on a board. The same class runs on the ESP32 (Program.cs gives it
    /// the ESP32 board and the flash store) and in the simulator (virtual board, memory or file
    /// store). Construction puts the board in the safe state; <see cref="Boot"/> registers the
    /// tasks and starts the scheduler; the caller then drives <see cref="Scheduler"/>.
    /// </summary>
    public sealed class ChargerFirmware
    {
        /// <summary>Protection task period: one ADC sample of every mains channel (1 kHz).</summary>
        public const int ProtectionPeriodMicroseconds = MainsMeter.SamplePeriodMicroseconds;

        /// <summary>Protection task budget on the device (see docs/architecture.md for the estimate).</summary>
        public const int ProtectionBudgetMicroseconds = 400;

        /// <summary>Pilot task budget on the device: one ADC read, and every 28th run a classification and a session step.</summary>
        public const int PilotBudgetMicroseconds = 300;

        /// <summary>Energy task budget on the device: a division, and now and then a store write (flash: milliseconds).</summary>
        public const int EnergyBudgetMicroseconds = 20000;

        private readonly IBoard _board;
        private readonly IStore _store;
        private readonly ChargerConfig _config;
        private readonly EventBus _events = new EventBus();
        private readonly Scheduler _scheduler;
        private readonly RelaySupervisor _relays;
        private readonly MainsMeter _meter;
        private readonly PestProtection _pests;
        private TelemetryTask _telemetry;
        private TelemetryOptions _telemetryOptions;
        private MqttLink _mqtt;
        private readonly CurrentArbiter _arbiter;
        private readonly EnergyMeter _energy;
        private readonly ChargingSession _session;
        private readonly PilotLink _pilotLink;
        private readonly CurtailmentController _curtailment;
        private readonly ContactorCycleCounter _contactorCycles = new ContactorCycleCounter();
        private readonly WallClock _wallClock;
        private readonly SmartCharging _smart;
        private CommandProcessor _localCommands;
        private InboundMessage _localMessage;
        private MqttTopics _localTopics;
        private bool _booted;
        private CommissioningService _commissioning;
        private CommissioningConsoleTask _console;
        private IRebootHandler _reboot;

        /// <summary>Builds the firmware and puts the board in the safe state: relays open, pilot at −12 V.</summary>
        public ChargerFirmware(IBoard board, IStore store, ChargerConfig config)
        {
            if (board == null || store == null || config == null)
            {
                throw new ArgumentNullException();
            }

            _board = board;
            _store = store;
            _config = config;

            // Safe state first, before anything else can run (docs/architecture.md, init order).
            _board.HoldNegative();

            // Relay authority by type: the board's relay drive goes to the supervisor and nowhere
            // else; protection gets the weld sense. The pilot link is the supervisor's safe-state
            // hook, fixed here: every trip puts the pilot in state F in its own call.
            _pilotLink = new PilotLink(board, board, _events);
            _relays = new RelaySupervisor(board, _events, _pilotLink);

            _scheduler = new Scheduler(board);
            // The board's native sampler when it has one (the ESP32 interop component, the virtual
            // board's C core): the product path. Otherwise the managed 1 kHz fallback.
            IMainsSampler sampler = board as IMainsSampler;
            _meter = sampler != null ? new MainsMeter(sampler) : new MainsMeter((IAnalogInputs)board);

            // Records of earlier firmware in the current format, before any module reads them.
            StoredRecordMigration.Run(store);

            // Commissioning calibration; a missing or damaged record leaves identity in force.
            _meter.LoadCalibration(store);

            // PEST protection: evaluates every mains cycle inside the protection task and is an
            // interlock on both relays (docs/faults.md).
            _pests = new PestProtection(board, board, board, _relays, _events, store, _meter, config.ReferenceElectrodeFitted);

            // Control pilot and charging session (docs/control-pilot.md). The session attaches itself
            // to the pilot link, so a trip puts it in state F in the trip's own call.
            bool socket = config.Variant == Variant.Type2Socket;
            _arbiter = new CurrentArbiter(_events, config.UnitRatingMilliamps, config.CableRatingMilliamps, config.SupplyLimitMilliamps);
            if (socket)
            {
                // The socket's rating is the plug's: nothing can be offered until its resistor is read.
                _arbiter.SetCableRating(0, CurrentArbiter.ReasonPlugRating);
            }

            _energy = new EnergyMeter(store, _relays);
            _meter.Subscribe(_energy);
            _session = new ChargingSession(_pilotLink, board, board, _relays, _events, _arbiter, _energy, socket, config.SocketLockTimeoutMicroseconds);

            // Load curtailment from the CT clamp (src/Firmware.Features/Curtailment): one claim, fed every metered cycle.
            _curtailment = new CurtailmentController(_arbiter, _events, config.ToCurtailmentSettings());
            _meter.Subscribe(_curtailment);
            _events.Subscribe(_contactorCycles);
            if (!config.Commissioned)
            {
                // An uncommissioned unit never closes a relay: the interlock refuses, and Boot does
                // not even run the pilot task, so the pilot stays at -12 V (state F, "not available").
                _relays.AddInterlock(new NotCommissionedInterlock());
            }

            // Time of day and smart charging (docs/smart-charging.md): schedules, default hours,
            // randomised delay and Boost as arbiter claims; settings restored from the store.
            _wallClock = new WallClock(board, store);
            _smart = new SmartCharging(_arbiter, _session, _energy, _wallClock, board, _events, store, _pests.Button, config.UnitRatingMilliamps);
            if (_smart.Settings.Paused)
            {
                // The platform's pause survives a power cut.
                _session.Pause();
            }
        }

        /// <summary>Events out of the firmware; subscribe before <see cref="Boot"/>.</summary>
        public EventBus Events => _events;

        /// <summary>The scheduler the caller drives.</summary>
        public Scheduler Scheduler => _scheduler;

        /// <summary>The mains meter.</summary>
        public MainsMeter Meter => _meter;

        /// <summary>PEST protection: latch state, reset (<see cref="PestProtection.TryReset"/>), disturbance record.</summary>
        public PestProtection Pests => _pests;

        /// <summary>The relay supervisor (read-only use outside the firmware).</summary>
        public RelaySupervisor Relays => _relays;

        /// <summary>The current arbiter: capabilities put their claims here (SetClaim/ClearClaim).</summary>
        public CurrentArbiter Arbiter => _arbiter;

        /// <summary>The charging session (pilot state, session state, Pause/Resume).</summary>
        public ChargingSession Session => _session;

        /// <summary>Load curtailment and the solar modes.</summary>
        public CurtailmentController Curtailment => _curtailment;

        /// <summary>Contactor closings since start-up.</summary>
        public ContactorCycleCounter ContactorCycles => _contactorCycles;

        /// <summary>Session and lifetime energy, power every second.</summary>
        public EnergyMeter Energy => _energy;

        /// <summary>The time of day (UTC, UK local), or "not synchronised".</summary>
        public WallClock WallClock => _wallClock;

        /// <summary>Smart charging: platform limit, schedules, default hours, randomised delay, Boost.</summary>
        public SmartCharging SmartCharging => _smart;

        /// <summary>The configuration in force.</summary>
        public ChargerConfig Config => _config;

        /// <summary>The store records are kept in.</summary>
        public IStore Store => _store;

        /// <summary>The MQTT link, when <see cref="AttachMqtt"/> was called; otherwise null.</summary>
        public MqttLink Mqtt => _mqtt;

        /// <summary>The telemetry task, when <see cref="AttachMqtt"/> was called; otherwise null.</summary>
        public TelemetryTask Telemetry => _telemetry;

        /// <summary>
        /// Adds MQTT (docs/mqtt.md): a link on <paramref name="transport"/> for this serial, and
        /// the low-priority telemetry task that feeds it and carries out commands. Optional: the
        /// firmware charges the same without it. Call before <see cref="Boot"/>; then run
        /// <see cref="MqttLink.Run"/> (or <see cref="MqttLink.Step"/>) on a dedicated network
        /// thread: it is the only caller of the transport, so nothing here waits for the network.
        /// </summary>
        public MqttLink AttachMqtt(IMqttTransport transport, MqttLinkOptions linkOptions, TelemetryOptions telemetryOptions)
        {
            if (_booted || _mqtt != null)
            {
                throw new InvalidOperationException("attach MQTT once, before Boot");
            }

            if (transport == null || linkOptions == null)
            {
                throw new ArgumentNullException();
            }

            var topics = new MqttTopics(_config.Serial);

            // Jitter seeded per device and per boot, so a fleet that lost the broker together
            // does not reconnect together.
            var random = new XorShiftRandom(XorShiftRandom.SeedFrom(_config.Serial, (ulong)_board.NowMicroseconds));
            _mqtt = new MqttLink(transport, _board, random, topics, linkOptions);
            var processor = CreateCommandProcessor(topics);
            _telemetryOptions = telemetryOptions != null ? telemetryOptions : new TelemetryOptions();
            var statusSource = new FirmwareStatusSource(_meter, _relays, _pests, _arbiter, _session, _energy, _smart, _wallClock);
            statusSource.Curtailment = _curtailment;
            statusSource.ContactorCycles = _contactorCycles;
            statusSource.Commissioned = _config.Commissioned;
            _telemetry = new TelemetryTask(_mqtt, linkOptions, processor, statusSource, _telemetryOptions, FirmwareInfo.Version);
            _telemetry.DetailWriter = new DisturbanceRecordWriter();
            _telemetry.WallClock = _wallClock;
            _events.Subscribe(_telemetry);
            return _mqtt;
        }

        /// <summary>
        /// Carries out one command as if it had arrived on this unit's command topic
        /// indra/&lt;serial&gt;/cmd/<paramref name="name"/> (docs/mqtt.md), with the same validation,
        /// and writes its result document into <paramref name="result"/>. For the simulator's
        /// scenario steps and local tools; MQTT does not need it. Scheduler thread only.
        /// </summary>
        public bool ExecuteCommand(string name, byte[] payload, JsonWriter result)
        {
            if (_localCommands == null)
            {
                _localTopics = new MqttTopics(_config.Serial);
                _localCommands = CreateCommandProcessor(_localTopics);
                _localMessage = new InboundMessage(CommandProcessor.MaxPayloadBytes + 1);
            }

            _localMessage.Set(_localTopics.CommandPrefix + name, payload);
            return _localCommands.Process(_board.NowMicroseconds, _localMessage, result);
        }

        // The command processor with the smart-charging commands, on the firmware's modules.
        private CommandProcessor CreateCommandProcessor(MqttTopics topics)
        {
            var target = new FirmwareCommandTarget(_pests, _smart, _session);

            // IEC 61851-1: 6 A is the lowest current a PWM pilot offers; the unit rating caps it.
            var processor = new CommandProcessor(topics, target, 6000, _config.UnitRatingMilliamps);
            processor.SolarModeTarget = new SolarModeCommandTarget(_curtailment);
            processor.Extension = new SmartChargingCommands(_smart, 6000, _config.UnitRatingMilliamps);
            return processor;
        }

        /// <summary>The network interface's supervisor on the device (null in the simulator, which has no interface to bring up); the console reports its state.</summary>
        public NetworkSupervisor Network { get; set; }

        /// <summary>The commissioning protocol's handler (docs/commissioning-protocol.md); built on first use.</summary>
        public CommissioningService Commissioning
        {
            get
            {
                if (_commissioning == null)
                {
                    _commissioning = new CommissioningService(this, _board, _board);
                }

                return _commissioning;
            }
        }

        /// <summary>
        /// Serves the commissioning protocol on a console (the USB serial port on the device, stdin
        /// or TCP in the simulator) from a low-priority task. Call before <see cref="Boot"/>.
        /// </summary>
        public void AttachConsole(IConsolePort port, IRebootHandler reboot)
        {
            if (_booted || _console != null)
            {
                throw new InvalidOperationException("attach the console once, before Boot");
            }

            _console = new CommissioningConsoleTask(Commissioning, port);
            RebootHandler = reboot;
        }

        /// <summary>How the host restarts the unit when a commissioning "reboot" request (console or MQTT) was answered; null: such requests are answered but not carried out. Set before <see cref="Boot"/>.</summary>
        public IRebootHandler RebootHandler
        {
            get { return _reboot; }
            set
            {
                if (_booted)
                {
                    throw new InvalidOperationException("set the reboot handler before Boot");
                }

                _reboot = value;
            }
        }

        /// <summary>Registers the tasks and starts the scheduler. Call once.</summary>
        public void Boot()
        {
            if (_booted)
            {
                throw new InvalidOperationException("already booted");
            }

            _booted = true;
            long now = _board.NowMicroseconds;
            _events.Publish(ChargerEventKind.Boot, now, 0, 0, false, FirmwareInfo.Version, null, null);
            _events.Publish(ChargerEventKind.Pwm, now, 0, false, null);
            _events.Publish(ChargerEventKind.Contactor, now, 0, false, "boot");
            _pests.Boot(now);

            // Priority is registration order: protection first.
            _scheduler.Add("protection", new ProtectionTask(_meter, _relays), ProtectionPeriodMicroseconds, ProtectionBudgetMicroseconds);
            _scheduler.Add("pests", _pests, PestProtection.TaskPeriodMicroseconds, PestProtection.TaskBudgetMicroseconds);
            if (_config.Commissioned)
            {
                _scheduler.Add("pilot", _session, PilotSampler.SamplePeriodMicroseconds, PilotBudgetMicroseconds);
            }

            _scheduler.Add("energy", _energy, EnergyMeter.TaskPeriodMicroseconds, EnergyBudgetMicroseconds);
            _scheduler.Add("smart", _smart, SmartCharging.TaskPeriodMicroseconds, SmartCharging.TaskBudgetMicroseconds);
            _scheduler.Add("curtailment", _curtailment, CurtailmentController.TaskPeriodMicroseconds, CurtailmentController.TaskBudgetMicroseconds);
            var indicators = new IndicatorTask(_board, _pests, _session, _relays);
            indicators.Commissioned = _config.Commissioned;
            _scheduler.Add("indicators", indicators, IndicatorTask.PeriodMicroseconds, IndicatorTask.BudgetMicroseconds);

            if (_console != null)
            {
                _scheduler.Add("console", _console, CommissioningConsoleTask.PeriodMicroseconds, CommissioningConsoleTask.BudgetMicroseconds);
            }

            if (_reboot != null)
            {
                _scheduler.Add("reboot", new RebootTask(Commissioning, _reboot), RebootTask.PeriodMicroseconds, RebootTask.BudgetMicroseconds);
            }

            if (_telemetry != null)
            {
                // Last: the lowest priority. It only copies into the link's queues.
                int telemetryIndex = _scheduler.Add("telemetry", _telemetry, _telemetryOptions.TaskPeriodMicroseconds, _telemetryOptions.TaskBudgetMicroseconds);
                _telemetry.AttachScheduler(_scheduler, telemetryIndex);
            }

            _scheduler.Start();
        }
    }
}
