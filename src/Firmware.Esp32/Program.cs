using System;
using System.Threading;
using IndraSmartPro.Board.Esp32;
using IndraSmartPro.Commissioning;
using IndraSmartPro.Pests;
using IndraSmartPro.Scheduling;
using IndraSmartPro.Telemetry;
using nanoFramework.Runtime.Native;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// The device's composition root: builds the ESP32 board and the flash store, hands them to the
    /// same <see cref="ChargerFirmware"/> the simulator runs, and drives its scheduler. Nothing else
    /// belongs here; this is the only place on the device that sleeps.
    /// </summary>
    public static class Program
    {
        /// <summary>Where the store keeps its records on the internal flash drive.</summary>
        private const string StoreDirectory = FlashFileStore.InternalFlashDrive + "indra";

        /// <summary>Entry point after nanoCLR boots.</summary>
        public static void Main()
        {
            // The board's constructor puts the hardware in the safe state (relays open, pilot −12 V)
            // before anything else runs.
            Esp32Board board = new Esp32Board();
            FlashFileStore store = new FlashFileStore(StoreDirectory);
            ChargerFirmware firmware = Start(board, store);

            Scheduler scheduler = firmware.Scheduler;
            while (true)
            {
                Thread.Sleep(Step(board, scheduler, firmware.Pests));
            }
        }

        /// <summary>
        /// Builds the firmware over the board and the store, boots it and starts the MQTT network
        /// thread when the unit is commissioned for it. Split from <see cref="Main"/> so the host
        /// tests run this same composition over stand-ins of the device API: an exception here is
        /// outside the guarded loop, and a unit that throws here does not boot.
        /// </summary>
        internal static ChargerFirmware Start(Esp32Board board, FlashFileStore store)
        {
            // Everything follows the stored configuration (docs/commissioning.md); with none stored
            // the unit is not commissioned: it never closes a relay and says so.
            ChargerConfig config = ConfigStore.Load(store);
            ChargerFirmware firmware = new ChargerFirmware(board, store, config);
            firmware.RebootHandler = new SafeReboot(board);

            // Time of day for schedules and default charging hours: SNTP sets the system time once
            // the network answers; until then the firmware runs unsynchronised (docs/smart-charging.md).
            nanoFramework.Networking.Sntp.Start();
            MqttLink mqtt = AttachMqtt(firmware, store, config);
            firmware.Boot();
            if (mqtt != null)
            {
                // The network thread is the only caller of the MQTT client; the scheduler never
                // waits for it (docs/mqtt.md).
                Thread network = new Thread(mqtt.Run);
                network.Priority = ThreadPriority.BelowNormal;
                network.Start();
            }

            return firmware;
        }

        /// <summary>
        /// One pass of the device loop: runs the due tasks and returns how long to sleep, in whole
        /// milliseconds, until the next one is due (0 = only yield the rest of the time slice, so
        /// other threads such as the MQTT worker still get the CPU).
        /// </summary>
        internal static int Step(Esp32Board board, Scheduler scheduler)
        {
            return Step(board, scheduler, null);
        }

        /// <summary>
        /// As <see cref="Step(Esp32Board, Scheduler)"/>; before rebooting on an exception it also
        /// stores a PEST latch not yet written (<paramref name="pests"/> may be null).
        /// </summary>
        internal static int Step(Esp32Board board, Scheduler scheduler, PestProtection pests)
        {
            try
            {
                scheduler.RunDue();
            }
            catch (Exception)
            {
                // A task threw: the firmware's state can no longer be trusted, and a dead loop
                // would leave the relays as they were with nothing watching the supply. Make the
                // board safe (contactor and earth relay open, pilot state F) and restart: boot
                // starts safe again and a latched trip is read back from the store.
                board.OpenAll();
                board.HoldNegative();
                if (pests != null)
                {
                    // A trip latched in this pass but not yet stored would otherwise be lost with
                    // the reboot, and the relays would close again after the boot check.
                    pests.TryPersistPendingLatch(board.NowMicroseconds);
                }

                Power.RebootDevice();
            }

            long waitMicroseconds = scheduler.NextDueMicroseconds - board.NowMicroseconds;
            return waitMicroseconds >= 1000 ? (int)(waitMicroseconds / 1000) : 0;
        }

        /// <summary>MQTT over TLS when the unit has been commissioned for it; otherwise none (charging does not need it).</summary>
        private static MqttLink AttachMqtt(ChargerFirmware firmware, FlashFileStore store, ChargerConfig config)
        {
            MqttCommissioning settings;
            string problem;
            if (config.MqttHost.Length > 0)
            {
                // Commissioned through the configuration: user name = serial, the unit's own
                // password, the CA bundle in its own record.
                if (!FromConfig(store, config, out settings))
                {
                    return null;
                }
            }
            else if (!MqttCommissioning.TryLoad(store, config.Serial, out settings, out problem))
            {
                return null;
            }

            // The broker's ACL lets an account use only indra/<its user name>/ (deploy/mosquitto/acl,
            // %u), and docs/deploy.md commissions each unit with its serial as the user name: so the
            // commissioned user name is this unit's serial, and its topics and client id follow it.
            config.Serial = settings.UserName;

            M2MqttTransport transport;
            try
            {
                transport = new M2MqttTransport(settings.Host, settings.Port, settings.CaCertificatePem);
            }
            catch (Exception)
            {
                // An unreadable CA certificate: no MQTT rather than no charger.
                return null;
            }

            MqttLink link = firmware.AttachMqtt(transport, settings.ToLinkOptions(), null);
            link.Wake = new AutoResetWorkerWake();
            return link;
        }

        /// <summary>A commissioning "reboot": make the board safe, then restart (boot reads the stored configuration).</summary>
        private sealed class SafeReboot : IRebootHandler
        {
            private readonly Esp32Board _board;

            public SafeReboot(Esp32Board board)
            {
                _board = board;
            }

            public void Reboot()
            {
                _board.OpenAll();
                _board.HoldNegative();
                Power.RebootDevice();
            }
        }

        /// <summary>Broker settings from the stored configuration and CA record; false when the CA bundle is missing.</summary>
        private static bool FromConfig(FlashFileStore store, ChargerConfig config, out MqttCommissioning settings)
        {
            settings = null;
            byte[] ca = new byte[ConfigStore.MaxCaBytes];
            int caLength;
            if (!store.TryRead(ConfigStore.CaKey, ca, out caLength) || caLength == 0)
            {
                return false;
            }

            var result = new MqttCommissioning();
            result.Host = config.MqttHost;
            result.Port = config.MqttPort;
            result.UserName = config.Serial;
            result.Password = config.MqttPassword;
            result.CaCertificatePem = new byte[caLength];
            Array.Copy(ca, result.CaCertificatePem, caLength);
            settings = result;
            return true;
        }
    }
}
