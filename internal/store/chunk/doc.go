// Package chunk is the pure half of how selfdata stores meter readings: the binary layout of a
// chunk, the statistics kept beside it, and the time buckets aggregations group by.
//
// Readings are most of the volume of a personal data store (a half-hourly meter writes 17,520 a
// year), so a backend keeps one row per series per UTC day, holding that day's readings in a
// compact blob rather than one row per reading. Beside the blob it keeps the chunk's Stats, so
// that an aggregation sums whole chunks in SQL and decodes in Go only the chunks that straddle a
// bucket boundary. Decoding must therefore be cheap enough to do on a request path.
//
// Nothing here touches a database or a file: backends call it, tests fuzz it.
package chunk
