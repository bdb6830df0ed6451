using System;
using System.Text;

namespace nanoFramework.TestFramework
{
    /// <summary>
    /// Test output. On nanoCLR it goes to the console, where the test adapter collects it per test;
    /// on the host the runner captures it per test case and shows it with the result.
    /// </summary>
    public static class OutputHelper
    {
        [ThreadStatic]
        private static StringBuilder s_capture;

        internal static StringBuilder Capture
        {
            get => s_capture;
            set => s_capture = value;
        }

        /// <summary>Writes a message.</summary>
        public static void Write(string message)
        {
            if (s_capture != null)
            {
                s_capture.Append(message);
            }
            else
            {
                Console.Write(message);
            }
        }

        /// <summary>Writes a message and a line end.</summary>
        public static void WriteLine(string message)
        {
            if (s_capture != null)
            {
                s_capture.AppendLine(message);
            }
            else
            {
                Console.WriteLine(message);
            }
        }
    }
}
