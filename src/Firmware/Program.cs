using System.Threading;
using IndraSmartPro.Board.Esp32;
using IndraSmartPro.Scheduling;

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
            ChargerConfig config = new ChargerConfig();

            ChargerFirmware firmware = new ChargerFirmware(board, store, config);
            firmware.Boot();

            Scheduler scheduler = firmware.Scheduler;
            while (true)
            {
                scheduler.RunDue();

                // Sleep whole milliseconds until the next task is due; under a millisecond, yield the
                // rest of the time slice so other threads (the MQTT worker) still get the CPU.
                long waitMicroseconds = scheduler.NextDueMicroseconds - board.NowMicroseconds;
                Thread.Sleep(waitMicroseconds >= 1000 ? (int)(waitMicroseconds / 1000) : 0);
            }
        }
    }
}
