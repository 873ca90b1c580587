package archive

import (
	"errors"
	"io"
)

// directoryEndBytes is what archive/zip reads to find the central directory: the last 65 KiB
// where its end record and comment may be, and the zip64 records.
const directoryEndBytes = 67 << 10

var errDirectoryTooLarge = errors.New("the archive's list of files is too large")

// directoryBudget is the archive as zip.NewReader reads it: it fails the read that would pass
// left bytes, so that archive/zip, which reads every directory record (and allocates a File
// for each) before anyone can count them, stops after MaxDirectoryBytes. Once the directory
// is read, left is set negative and reads pass through: the entries' own bounds take over.
type directoryBudget struct {
	r        io.ReaderAt
	left     int64
	exceeded bool
}

func (d *directoryBudget) ReadAt(p []byte, off int64) (int, error) {
	if d.left >= 0 {
		if int64(len(p)) > d.left {
			d.exceeded = true
			return 0, errDirectoryTooLarge
		}
		d.left -= int64(len(p))
	}
	return d.r.ReadAt(p, off)
}
