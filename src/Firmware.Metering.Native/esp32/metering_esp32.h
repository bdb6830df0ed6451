/*
 * ESP32 shell of the metering core: ESP-IDF's ADC continuous (DMA) driver feeds core/mains_core.c
 * from a FreeRTOS task; the nanoFramework interop (indra_metering_interop.cpp) hands the managed
 * meter one record per mains cycle. Device only: built by nf-interpreter's ESP32 build
 * (docs/device.md, "Custom nanoCLR image"), never by the host build.
 */
#ifndef INDRA_METERING_ESP32_H
#define INDRA_METERING_ESP32_H

#include <stdint.h>
#include "mains_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Health of the stream, for the managed watchdog and the service view. */
typedef struct metering_esp32_health {
    uint32_t frames;            /* frames pushed into the core since start */
    uint32_t overflows;         /* DMA pool overflows (each restarts the core's window) */
    uint32_t restarts;          /* mc_start calls after a stall or an overflow */
    int32_t rate_error_ppm;     /* frames per second against esp_timer over the last 100 ms */
    int64_t last_frame_us;      /* esp_timer time of the newest frame */
} metering_esp32_health;

/* ADC1 channels of the six inputs, in mains_core.h's channel order (from hw/pinmap.json). */
int metering_esp32_start(const int adc1_channels[MC_CHANNELS]);
void metering_esp32_stop(void);
int metering_esp32_pop_cycle(mc_cycle *out);
void metering_esp32_read_pilot(mc_pilot *out);
void metering_esp32_health_get(metering_esp32_health *out);
/* Latest converted pin millivolts of a channel (pilot and proximity one-shot reads are served from
   the stream: ADC1 belongs to the continuous driver while it runs). */
int32_t metering_esp32_latest_pin_mv(int channel);

#ifdef __cplusplus
}
#endif

#endif
