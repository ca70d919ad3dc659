/*
** read.c — the only file of src/ingest that does I/O: reading a file, telling
** UTF-8 from GB18030/GBK (ICU converter), and reading a .docx (libzip for the
** archive, expat for word/document.xml: <w:p> paragraphs in order, text of
** <w:t>, <w:tab/> as a tab, <w:br/> as a line break).
**
** Caps: the decoded text may not exceed `max` bytes; a .docx archive may not
** exceed 4×max, and document.xml (uncompressed) may not exceed 4×max either,
** checked both from the zip directory and while inflating, so a zip bomb stops
** at the cap.
*/
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/ucnv.h>
#include <zip.h>

#include "ingest/ingest_int.h"
#include "util/text.h"

/* Rejects binary input: NUL bytes or many C0 controls. */
static int looks_binary(const char *s, size_t n) {
  size_t ctl = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0) return 1;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ctl++;
  }
  return ctl > 8 && ctl * 100 > n;
}

int read_decode(const char *bytes, size_t n, size_t max, char **out,
                size_t *outlen, const char **encoding, struct err *e) {
  char *r = NULL;
  *out = NULL;
  *outlen = 0;
  if (n == 0)
    return err_set(e, ERR_INVALID, "file", "the file is empty");
  if (n > max)
    return err_set(e, ERR_TOO_LARGE, "file",
                   "the text is %zu bytes; the limit is %zu bytes", n, max);
  if (looks_binary(bytes, n))
    return err_set(e, ERR_UNSUPPORTED, "file",
                   "the file is binary, not text (give a .txt in UTF-8 or "
                   "GB18030, or a .docx)");
  if (n >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) { bytes += 3; n -= 3; }
  if (utf8_valid(bytes, n, NULL)) {
    r = malloc(n + 1);
    if (!r) goto oom;
    memcpy(r, bytes, n);
    r[n] = 0;
    *out = r;
    *outlen = n;
    *encoding = "UTF-8";
    return 0;
  }
  /* GB18030 (a superset of GBK and GB2312): strict conversion */
  {
    UErrorCode st = U_ZERO_ERROR;
    UConverter *from = ucnv_open("GB18030", &st);
    UConverter *to = NULL;
    if (U_FAILURE(st)) goto icu;
    to = ucnv_open("UTF-8", &st);
    if (U_FAILURE(st)) { ucnv_close(from); goto icu; }
    ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    if (U_FAILURE(st)) { ucnv_close(from); ucnv_close(to); goto icu; }
    size_t cap = n * 2 + 16; /* GB18030 → UTF-8 grows at most 2× (2→3, 4→4) */
    r = malloc(cap);
    if (!r) { ucnv_close(from); ucnv_close(to); goto oom; }
    char *t = r;
    const char *s = bytes;
    ucnv_convertEx(to, from, &t, r + cap - 1, &s, bytes + n, NULL, NULL, NULL,
                   NULL, 1, 1, &st);
    ucnv_close(from);
    ucnv_close(to);
    if (U_FAILURE(st)) {
      free(r);
      return err_set(e, ERR_UNSUPPORTED, "file",
                     "the text is neither UTF-8 nor GB18030/GBK (bad byte near "
                     "offset %zu)", (size_t)(s - bytes));
    }
    *t = 0;
    if ((size_t)(t - r) > max) {
      free(r);
      return err_set(e, ERR_TOO_LARGE, "file",
                     "the decoded text exceeds the limit of %zu bytes", max);
    }
    if (looks_binary(r, (size_t)(t - r))) {
      free(r);
      return err_set(e, ERR_UNSUPPORTED, "file", "the file is binary, not text");
    }
    *out = r;
    *outlen = (size_t)(t - r);
    *encoding = "GB18030";
    return 0;
  icu:
    return err_set(e, ERR_INTERNAL, "file", "ICU converter failed: %s",
                   u_errorName(st));
  }
oom:
  return err_set(e, ERR_INTERNAL, "file", "out of memory reading the text");
}

/* ---- .docx ---- */

struct docx {
  struct buf out;
  int in_t;      /* inside <w:t> */
  int in_p;      /* paragraphs seen */
  int depth;
};

static const char *local(const char *name) {
  const char *c = strrchr(name, ':');
  return c ? c + 1 : name;
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts) {
  struct docx *x = ud;
  const char *l = local(name);
  (void)atts;
  x->depth++;
  if (strcmp(l, "t") == 0) x->in_t = 1;
  else if (strcmp(l, "tab") == 0) buf_putc(&x->out, '\t');
  else if (strcmp(l, "br") == 0 || strcmp(l, "cr") == 0) buf_putc(&x->out, '\n');
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  struct docx *x = ud;
  const char *l = local(name);
  x->depth--;
  if (strcmp(l, "t") == 0) x->in_t = 0;
  else if (strcmp(l, "p") == 0) { buf_putc(&x->out, '\n'); x->in_p++; }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  struct docx *x = ud;
  if (x->in_t && len > 0) buf_append(&x->out, s, (size_t)len);
}

int read_docx(const char *path, size_t max, char **out, size_t *outlen,
              struct err *e) {
  int zerr = 0, rc = -1;
  zip_t *z = NULL;
  zip_file_t *f = NULL;
  XML_Parser p = NULL;
  struct docx x;
  zip_stat_t zs;
  struct stat st;
  size_t cap = max > ((size_t)-1) / 4 ? max : max * 4;
  char chunk[65536];
  size_t total = 0;

  memset(&x, 0, sizeof x);
  buf_init(&x.out, max);
  *out = NULL;
  *outlen = 0;
  if (stat(path, &st) == 0 && (size_t)st.st_size > cap) {
    err_set(e, ERR_TOO_LARGE, "file", "the .docx is %lld bytes; the limit is %zu",
            (long long)st.st_size, cap);
    goto done;
  }
  z = zip_open(path, ZIP_RDONLY, &zerr);
  if (!z) {
    err_set(e, ERR_UNSUPPORTED, "file",
            "the file is not a readable .docx (zip error %d)", zerr);
    goto done;
  }
  zip_stat_init(&zs);
  if (zip_stat(z, "word/document.xml", 0, &zs) != 0) {
    err_set(e, ERR_UNSUPPORTED, "file",
            "the .docx has no word/document.xml (not a Word document)");
    goto done;
  }
  if ((zs.valid & ZIP_STAT_SIZE) && zs.size > cap) {
    err_set(e, ERR_TOO_LARGE, "file",
            "the .docx text part is %llu bytes uncompressed; the limit is %zu",
            (unsigned long long)zs.size, cap);
    goto done;
  }
  f = zip_fopen(z, "word/document.xml", 0);
  if (!f) {
    err_set(e, ERR_UNSUPPORTED, "file", "cannot open the .docx text part: %s",
            zip_strerror(z));
    goto done;
  }
  p = XML_ParserCreate("UTF-8");
  if (!p) {
    err_set(e, ERR_INTERNAL, "file", "out of memory");
    goto done;
  }
  XML_SetUserData(p, &x);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  for (;;) {
    zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
    if (n < 0) {
      err_set(e, ERR_UNSUPPORTED, "file", "the .docx is damaged or truncated: %s",
              zip_file_strerror(f));
      goto done;
    }
    total += (size_t)n;
    if (total > cap) {
      err_set(e, ERR_TOO_LARGE, "file",
              "the .docx text part inflates past the limit of %zu bytes", cap);
      goto done;
    }
    if (XML_Parse(p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
      err_set(e, ERR_UNSUPPORTED, "file", "the .docx XML is invalid: %s (line %lu)",
              XML_ErrorString(XML_GetErrorCode(p)),
              (unsigned long)XML_GetCurrentLineNumber(p));
      goto done;
    }
    if (x.out.failed) {
      err_set(e, ERR_TOO_LARGE, "file",
              "the .docx text exceeds the limit of %zu bytes", max);
      goto done;
    }
    if (n == 0) break;
  }
  if (x.out.len == 0) {
    err_set(e, ERR_INVALID, "file", "the .docx contains no text");
    goto done;
  }
  *outlen = x.out.len;
  { size_t dl; *out = buf_detach(&x.out, &dl); }
  if (!*out) {
    err_set(e, ERR_INTERNAL, "file", "out of memory");
    goto done;
  }
  rc = 0;
done:
  if (p) XML_ParserFree(p);
  if (f) zip_fclose(f);
  if (z) zip_discard(z);
  buf_release(&x.out);
  return rc;
}
