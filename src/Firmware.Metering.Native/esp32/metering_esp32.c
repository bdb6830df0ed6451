/*
 * ESP32 shell of the metering core (see metering_esp32.h). ESP-IDF v5 ADC continuous driver:
 * ADC1, six channels in one pattern, 120 kS/s total (20 kHz per channel), 12 bit, 12 dB
 * attenuation (check the input range against the current ESP-IDF documentation: about
 * 150..2450 mV is specified as linear; docs/metering.md "Front end"). Conversion frames of
 * 1 ms (120 results) arrive by DMA; a task of priority above the nanoCLR thread sorts them into
 * frames by channel, converts raw codes to pin millivolts with the eFuse line-fitting calibration,
 * and pushes them into the core. Cost estimate in docs/performance.md ("Native core").
 */
#include <string.h>
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "esp_adc/adc_continuous.h"
#include "esp_adc/adc_cali.h"
#include "esp_adc/adc_cali_scheme.h"
#include "esp_timer.h"
#include "metering_esp32.h"

#define SAMPLE_RATE_HZ (MC_CHANNELS * 1000000 / MC_INPUT_PERIOD_US)
#define FRAME_RESULTS (MC_CHANNELS * 20)               /* 1 ms of results per DMA frame */
#define READ_BYTES (FRAME_RESULTS * SOC_ADC_DIGI_RESULT_BYTES)
#define STALL_US 5000                                  /* no frame for 5 ms: restart the window */

static adc_continuous_handle_t s_adc;
static adc_cali_handle_t s_cali;
static TaskHandle_t s_task;
static portMUX_TYPE s_lock = portMUX_INITIALIZER_UNLOCKED;
static mc_core s_core;
static metering_esp32_health s_health;
static int s_channel_of_adc[SOC_ADC_MAX_CHANNEL_NUM];
static int16_t s_latest[MC_CHANNELS];
static int16_t s_frames[20 * MC_CHANNELS];
static uint8_t s_buffer[READ_BYTES];

static bool IRAM_ATTR on_conv_done(adc_continuous_handle_t handle, const adc_continuous_evt_data_t *edata, void *user)
{
    BaseType_t woken = pdFALSE;
    vTaskNotifyGiveFromISR(s_task, &woken);
    return woken == pdTRUE;
}

static bool IRAM_ATTR on_pool_ovf(adc_continuous_handle_t handle, const adc_continuous_evt_data_t *edata, void *user)
{
    s_health.overflows++;
    return false;
}

static void metering_task(void *arg)
{
    int16_t partial[MC_CHANNELS];
    uint32_t seen = 0;
    uint32_t overflows = s_health.overflows;
    int64_t window_start = esp_timer_get_time();
    uint32_t window_frames = 0;
    memset(partial, 0, sizeof(partial));
    for (;;) {
        ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(10));
        uint32_t got = 0;
        int frames = 0;
        while (adc_continuous_read(s_adc, s_buffer, READ_BYTES, &got, 0) == ESP_OK) {
            int64_t now = esp_timer_get_time();
            for (uint32_t i = 0; i + SOC_ADC_DIGI_RESULT_BYTES <= got; i += SOC_ADC_DIGI_RESULT_BYTES) {
                adc_digi_output_data_t *d = (adc_digi_output_data_t *)&s_buffer[i];
                int adc_channel = d->type1.channel;
                int raw = d->type1.data;
                if (adc_channel >= SOC_ADC_MAX_CHANNEL_NUM || s_channel_of_adc[adc_channel] < 0) {
                    continue;
                }
                int channel = s_channel_of_adc[adc_channel];
                int mv = 0;
                adc_cali_raw_to_voltage(s_cali, raw, &mv);
                partial[channel] = (int16_t)mv;
                seen |= 1u << channel;
                /* The pattern converts the six channels in order: a frame is complete at the last. */
                if (channel == MC_CHANNELS - 1) {
                    if (seen == (1u << MC_CHANNELS) - 1) {
                        memcpy(&s_frames[frames * MC_CHANNELS], partial, sizeof(partial));
                        frames++;
                    }
                    seen = 0;
                    if (frames == 20) {
                        portENTER_CRITICAL(&s_lock);
                        if (s_health.overflows != overflows) {
                            /* Results were lost: the sample clock jumped; restart the window. */
                            overflows = s_health.overflows;
                            mc_start(&s_core, now);
                            s_health.restarts++;
                        }
                        mc_push(&s_core, s_frames, frames);
                        memcpy(s_latest, partial, sizeof(partial));
                        s_health.frames += frames;
                        s_health.last_frame_us = now;
                        portEXIT_CRITICAL(&s_lock);
                        window_frames += frames;
                        frames = 0;
                    }
                }
            }
        }

        /* Rate error every 100 ms against the CPU's timer, a diagnostic in the health record: the
           decision is the managed meter's (MainsMeter.RateDriftPercent = 5 %, docs/faults.md,
           "Metering front end"), made on the cycle end times, not on this figure. */
        int64_t now = esp_timer_get_time();
        if (now - window_start >= 100000) {
            int64_t expected = (now - window_start) / MC_INPUT_PERIOD_US;
            s_health.rate_error_ppm = expected > 0 ? (int32_t)(((int64_t)window_frames - expected) * 1000000 / expected) : 0;
            window_start = now;
            window_frames = 0;
        }
        if (now - s_health.last_frame_us > STALL_US) {
            /* Stalled (Wi-Fi start-up, flash writes): no records reach the managed meter, whose
               200 ms watchdog opens the relays; the stream restarts when frames return. */
            portENTER_CRITICAL(&s_lock);
            mc_start(&s_core, now);
            portEXIT_CRITICAL(&s_lock);
        }
    }
}

int metering_esp32_start(const int adc1_channels[MC_CHANNELS])
{
    adc_digi_pattern_config_t pattern[MC_CHANNELS];
    for (int i = 0; i < SOC_ADC_MAX_CHANNEL_NUM; i++) {
        s_channel_of_adc[i] = -1;
    }
    for (int ch = 0; ch < MC_CHANNELS; ch++) {
        pattern[ch].atten = ADC_ATTEN_DB_12;
        pattern[ch].channel = adc1_channels[ch] & 0x7;
        pattern[ch].unit = ADC_UNIT_1;
        pattern[ch].bit_width = SOC_ADC_DIGI_MAX_BITWIDTH;
        s_channel_of_adc[adc1_channels[ch]] = ch;
    }
    mc_init(&s_core);
    memset(&s_health, 0, sizeof(s_health));

    adc_continuous_handle_cfg_t handle_cfg = {
        .max_store_buf_size = READ_BYTES * 8,
        .conv_frame_size = READ_BYTES,
    };
    if (adc_continuous_new_handle(&handle_cfg, &s_adc) != ESP_OK) {
        return -1;
    }
    adc_continuous_config_t cfg = {
        .pattern_num = MC_CHANNELS,
        .adc_pattern = pattern,
        .sample_freq_hz = SAMPLE_RATE_HZ,
        .conv_mode = ADC_CONV_SINGLE_UNIT_1,
        .format = ADC_DIGI_OUTPUT_FORMAT_TYPE1,
    };
    if (adc_continuous_config(s_adc, &cfg) != ESP_OK) {
        return -2;
    }
    adc_cali_line_fitting_config_t cali_cfg = {
        .unit_id = ADC_UNIT_1,
        .atten = ADC_ATTEN_DB_12,
        .bitwidth = ADC_BITWIDTH_12,
    };
    if (adc_cali_create_scheme_line_fitting(&cali_cfg, &s_cali) != ESP_OK) {
        return -3;
    }
    adc_continuous_evt_cbs_t cbs = {
        .on_conv_done = on_conv_done,
        .on_pool_ovf = on_pool_ovf,
    };
    /* Core 1 (the application core); priority above the nanoCLR thread so a long managed run
       cannot starve the DMA pool. */
    if (xTaskCreatePinnedToCore(metering_task, "metering", 4096, NULL, configMAX_PRIORITIES - 3, &s_task, 1) != pdPASS) {
        return -4;
    }
    if (adc_continuous_register_event_callbacks(s_adc, &cbs, NULL) != ESP_OK) {
        return -5;
    }
    mc_start(&s_core, esp_timer_get_time());
    return adc_continuous_start(s_adc) == ESP_OK ? 0 : -6;
}

void metering_esp32_stop(void)
{
    adc_continuous_stop(s_adc);
}

int metering_esp32_pop_cycle(mc_cycle *out)
{
    portENTER_CRITICAL(&s_lock);
    int got = mc_pop_cycle(&s_core, out);
    portEXIT_CRITICAL(&s_lock);
    return got;
}

void metering_esp32_read_pilot(mc_pilot *out)
{
    portENTER_CRITICAL(&s_lock);
    mc_read_pilot(&s_core, out);
    portEXIT_CRITICAL(&s_lock);
}

void metering_esp32_health_get(metering_esp32_health *out)
{
    portENTER_CRITICAL(&s_lock);
    *out = s_health;
    portEXIT_CRITICAL(&s_lock);
}

int32_t metering_esp32_latest_pin_mv(int channel)
{
    return channel >= 0 && channel < MC_CHANNELS ? s_latest[channel] : 0;
}
