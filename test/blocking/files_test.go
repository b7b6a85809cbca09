package blocking

import (
	"os"
	"path/filepath"
)

// filepathGlob returns the contents of every file under dir.
func filepathGlob(dir string) ([][]byte, error) {
	var out [][]byte
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil {
			out = append(out, b)
		}
		return err
	})
	return out, err
}
