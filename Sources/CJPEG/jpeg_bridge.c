#include "jpeg_bridge.h"
/* jpeglib.h uses FILE without including stdio.h itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char *err;
    size_t err_len;
    int warned_truncated;
} sp_jpeg_error;

static void sp_jpeg_error_exit(j_common_ptr cinfo) {
    sp_jpeg_error *e = (sp_jpeg_error *)cinfo->err;
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    if (e->err && e->err_len > 0) snprintf(e->err, e->err_len, "%s", buffer);
    longjmp(e->jump, 1);
}

static void sp_jpeg_emit_message(j_common_ptr cinfo, int level) {
    sp_jpeg_error *e = (sp_jpeg_error *)cinfo->err;
    /* level -1: a warning. Premature end of data means a truncated file: treat it as an error. */
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        e->warned_truncated = 1;
    }
}

int sp_jpeg_decode(const uint8_t *data, size_t size, uint32_t max_side, sp_jpeg_image *out,
                   char *err, size_t err_len) {
    memset(out, 0, sizeof(*out));
    if (size < 3 || data[0] != 0xFF || data[1] != 0xD8) {
        if (err && err_len) snprintf(err, err_len, "not a JPEG file (no start-of-image marker)");
        return 1;
    }
    struct jpeg_decompress_struct cinfo;
    sp_jpeg_error jerr;
    memset(&jerr, 0, sizeof(jerr));
    cinfo.err = jpeg_std_error(&jerr.pub);
    jerr.pub.error_exit = sp_jpeg_error_exit;
    jerr.pub.emit_message = sp_jpeg_emit_message;
    jerr.err = err;
    jerr.err_len = err_len;
    uint8_t *volatile pixels = NULL;
    volatile int status = 1;
    if (setjmp(jerr.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return status;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, (const unsigned char *)data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    out->width = cinfo.image_width;
    out->height = cinfo.image_height;
    if (cinfo.image_width > max_side || cinfo.image_height > max_side) {
        jpeg_destroy_decompress(&cinfo);
        if (err && err_len) snprintf(err, err_len, "image dimensions exceed the limit");
        return 3;
    }
    /* libjpeg cannot convert CMYK/YCCK (print-ready and Photoshop JPEGs) to RGB
       itself: decode them as CMYK and convert each row here. */
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    int inverted = cmyk && cinfo.saw_Adobe_marker;  /* Adobe writes CMYK inverted */
    cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * 3;
    pixels = (uint8_t *)malloc(stride * cinfo.output_height + (cmyk ? (size_t)cinfo.output_width * 4 : 0));
    if (!pixels) {
        jpeg_destroy_decompress(&cinfo);
        if (err && err_len) snprintf(err, err_len, "out of memory");
        return 4;
    }
    uint8_t *scratch = pixels + stride * cinfo.output_height;
    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *target = pixels + stride * cinfo.output_scanline;
        JSAMPROW row = cmyk ? scratch : target;
        jpeg_read_scanlines(&cinfo, &row, 1);
        for (uint32_t x = 0; cmyk && x < cinfo.output_width; x++) {
            unsigned k = inverted ? scratch[4 * x + 3] : 255u - scratch[4 * x + 3];
            for (int c = 0; c < 3; c++) {
                unsigned v = inverted ? scratch[4 * x + c] : 255u - scratch[4 * x + c];
                target[3 * x + c] = (uint8_t)((v * k + 127) / 255);
            }
        }
    }
    if (jerr.warned_truncated) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        if (err && err_len) snprintf(err, err_len, "file is truncated (premature end of JPEG data)");
        return 1;
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    out->width = (uint32_t)(stride / 3);
    out->pixels = pixels;
    return 0;
}

void sp_jpeg_free(sp_jpeg_image *image) {
    if (image && image->pixels) {
        free(image->pixels);
        image->pixels = NULL;
    }
}

int sp_jpeg_encode(const uint8_t *rgb, uint32_t width, uint32_t height, int quality,
                   uint8_t **out_data, size_t *out_size, char *err, size_t err_len) {
    *out_data = NULL;
    *out_size = 0;
    struct jpeg_compress_struct cinfo;
    sp_jpeg_error jerr;
    memset(&jerr, 0, sizeof(jerr));
    cinfo.err = jpeg_std_error(&jerr.pub);
    jerr.pub.error_exit = sp_jpeg_error_exit;
    jerr.err = err;
    jerr.err_len = err_len;
    unsigned char *volatile buffer = NULL;
    unsigned long volatile size = 0;
    if (setjmp(jerr.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, (unsigned long *)&size);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(rgb + (size_t)cinfo.next_scanline * width * 3);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out_data = buffer;
    *out_size = size;
    return 0;
}

void sp_jpeg_free_buffer(uint8_t *data) { free(data); }
