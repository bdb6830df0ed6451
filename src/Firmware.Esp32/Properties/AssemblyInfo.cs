using System.Reflection;

// Assembly attributes of the device executable (Firmware.Esp32.nfproj).
[assembly: AssemblyTitle("Firmware.Esp32")]
[assembly: AssemblyDescription("INDRA Smart PRO: the ESP32 executable: composition root and ESP32 board binding (device only)")]
[assembly: AssemblyCompany("INDRA")]
[assembly: AssemblyProduct("IndraSmartPro")]
[assembly: AssemblyVersion("0.1.0.0")]
