/*
 * The test oracle for Domus's xl.cfg reader: libxlutil (the library xl itself parses with)
 * reads what the tests give it and prints its reading as JSON, one document per line.
 *
 *   xlu-oracle disk        < specs (one disk spec a line)
 *   xlu-oracle cfg FILE KEY...   (the values of KEYs in the config FILE)
 *
 * Every answer carries libxlutil's own error text ("report"), which is what xl prints.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxlutil.h>

static void jstr(const char *s) {
    if (!s) { fputs("null", stdout); return; }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

static void jbool3(libxl_defbool b) {
    fputs(libxl_defbool_is_default(b) ? "null" : libxl_defbool_val(b) ? "true" : "false", stdout);
}

static int disk_mode(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        if (n > 0 && line[n - 1] == '\n') line[--n] = 0;
        char *report = NULL;
        size_t rlen = 0;
        FILE *rep = open_memstream(&report, &rlen);
        XLU_Config *cfg = xlu_cfg_init(rep, "spec");
        libxl_device_disk d;
        libxl_device_disk_init(&d);
        const char *specs[1] = { line };
        int e = xlu_disk_parse(cfg, 1, specs, &d);
        fflush(rep);
        fputs("{\"spec\":", stdout); jstr(line);
        printf(",\"ok\":%s,\"report\":", e ? "false" : "true"); jstr(report);
        if (!e) {
            fputs(",\"target\":", stdout); jstr(d.pdev_path);
            fputs(",\"vdev\":", stdout); jstr(d.vdev);
            fputs(",\"format\":", stdout); jstr(libxl_disk_format_to_string(d.format));
            fputs(",\"backendtype\":", stdout);
            jstr(d.backend == LIBXL_DISK_BACKEND_UNKNOWN ? NULL : libxl_disk_backend_to_string(d.backend));
            fputs(",\"backend\":", stdout); jstr(d.backend_domname);
            fputs(",\"script\":", stdout); jstr(d.script);
            printf(",\"readwrite\":%d,\"cdrom\":%d,\"removable\":%d,\"directIoSafe\":%s", d.readwrite, d.is_cdrom, d.removable, d.direct_io_safe ? "true" : "false");
            fputs(",\"discard\":", stdout); jbool3(d.discard_enable);
            fputs(",\"specification\":", stdout);
            jstr(d.specification == LIBXL_DISK_SPECIFICATION_UNKNOWN ? NULL : libxl_disk_specification_to_string(d.specification));
            fputs(",\"colo\":", stdout); jbool3(d.colo_enable);
            fputs(",\"trusted\":", stdout); jbool3(d.trusted);
        }
        fputs("}\n", stdout);
        libxl_device_disk_dispose(&d);
        xlu_cfg_destroy(cfg);
        fclose(rep);
        free(report);
    }
    free(line);
    return 0;
}

static void jvalue(const XLU_Config *cfg, XLU_ConfigValue *v, int depth) {
    if (xlu_cfg_value_type(v) == XLU_STRING) {
        char *s = NULL;
        xlu_cfg_value_get_string(cfg, v, &s, 1);
        jstr(s);
        return;
    }
    XLU_ConfigList *l = NULL;
    xlu_cfg_value_get_list(cfg, v, &l, 1);
    putchar('[');
    for (int i = 0;; i++) {
        XLU_ConfigValue *item = xlu_cfg_get_listitem2(l, i);
        if (!item) break;
        if (i) putchar(',');
        jvalue(cfg, item, depth + 1);
    }
    putchar(']');
}

static int cfg_mode(const char *file, int nkeys, char **keys) {
    char *report = NULL;
    size_t rlen = 0;
    FILE *rep = open_memstream(&report, &rlen);
    XLU_Config *cfg = xlu_cfg_init(rep, "config");
    int e = xlu_cfg_readfile(cfg, file);
    fflush(rep);
    printf("{\"ok\":%s,\"report\":", e ? "false" : "true");
    jstr(report);
    if (!e) {
        fputs(",\"values\":{", stdout);
        for (int k = 0; k < nkeys; k++) {
            if (k) putchar(',');
            jstr(keys[k]);
            putchar(':');
            XLU_ConfigList *l = NULL;
            const char *s = NULL;
            long n;
            if (!xlu_cfg_get_list(cfg, keys[k], &l, NULL, 1)) {
                fputs("{\"list\":[", stdout);
                for (int i = 0;; i++) {
                    XLU_ConfigValue *item = xlu_cfg_get_listitem2(l, i);
                    if (!item) break;
                    if (i) putchar(',');
                    jvalue(cfg, item, 1);
                }
                fputs("]}", stdout);
            } else if (!xlu_cfg_get_string(cfg, keys[k], &s, 1)) {
                fputs("{\"string\":", stdout);
                jstr(s);
                int le = xlu_cfg_get_long(cfg, keys[k], &n, 1);
                if (!le) printf(",\"long\":%ld", n);
                putchar('}');
            } else {
                fputs("null", stdout);
            }
        }
        putchar('}');
    }
    fputs("}\n", stdout);
    xlu_cfg_destroy(cfg);
    fclose(rep);
    free(report);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "disk")) return disk_mode();
    if (argc >= 3 && !strcmp(argv[1], "cfg")) return cfg_mode(argv[2], argc - 3, argv + 3);
    fprintf(stderr, "usage: xlu-oracle disk < specs | xlu-oracle cfg FILE KEY...\n");
    return 2;
}
