// Command etcd is the etcd server, as the release binary runs it: etcdmain parses the same flags.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
