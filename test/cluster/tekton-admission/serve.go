package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	"knative.dev/pkg/apis"
)

type admitFunc func(context.Context, *admissionv1.AdmissionRequest) *admissionv1.AdmissionResponse

func admissionHandler(name string, admit admitFunc, logger *log.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST an AdmissionReview", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
		if err != nil {
			http.Error(w, fmt.Sprint("could not read body: ", err), http.StatusBadRequest)
			return
		}
		var review admissionv1.AdmissionReview
		if err := json.Unmarshal(body, &review); err != nil || review.Request == nil {
			http.Error(w, fmt.Sprint("could not decode body: ", err), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		req := review.Request
		ctx := apis.WithHTTPRequest(r.Context(), r)

		resp := safeAdmit(ctx, admit, req)
		resp.UID = req.UID
		verdict := "allowed"
		if !resp.Allowed {
			verdict = "refused: " + resp.Result.Message
		}
		logger.Printf("%s %s %s %s/%s %s/%s: %s", name, req.Operation, req.Kind.Kind, req.Kind.Group,
			req.Kind.Version, req.Namespace, req.Name, verdict)

		out := admissionv1.AdmissionReview{TypeMeta: review.TypeMeta, Response: resp}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(out); err != nil {
			logger.Printf("could not encode response: %v", err)
		}
	}
}

// safeAdmit turns a panic inside Tekton's code into a refusal that says so, instead of a dropped
// connection (which the apiserver would report only as "failed calling webhook").
func safeAdmit(ctx context.Context, admit admitFunc, req *admissionv1.AdmissionRequest) (resp *admissionv1.AdmissionResponse) {
	defer func() {
		if p := recover(); p != nil {
			resp = errorResponse("tekton-admission: panic while admitting %s %s/%s: %v", req.Kind.Kind, req.Namespace, req.Name, p)
		}
	}()
	return admit(ctx, req)
}

func serveMain(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	certFile := fs.String("cert", "", "PEM serving certificate (chain)")
	keyFile := fs.String("key", "", "PEM private key")
	addr := fs.String("addr", "127.0.0.1:8443", "listen address; port 0 picks a free one")
	portFile := fs.String("port-file", "", "write the port actually listened on to this file once serving")
	lifeline := fs.Bool("stdin-lifeline", false, "exit when standard input reaches EOF (the parent that holds its other end died)")
	var configFiles stringList
	fs.Var(&configFiles, "config", "Tekton ConfigMap YAML (feature-flags, config-defaults, feature-flags-triggers, config-defaults-triggers); repeatable")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger := log.New(os.Stderr, "tekton-admission ", log.LstdFlags|log.Lmicroseconds)
	if *certFile == "" || *keyFile == "" {
		logger.Print("serve needs --cert and --key")
		return 2
	}
	cfg := defaultConfigs()
	for _, f := range configFiles {
		if err := cfg.loadConfigMap(f); err != nil {
			logger.Print(err)
			return 2
		}
	}
	cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		logger.Printf("loading serving certificate: %v", err)
		return 2
	}

	mux := http.NewServeMux()
	mux.Handle("/mutate", admissionHandler("mutate", cfg.mutate, logger))
	mux.Handle("/validate", admissionHandler("validate", cfg.validate, logger))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Printf("listen %s: %v", *addr, err)
		return 1
	}
	srv := &http.Server{
		Handler:           mux,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          logger,
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if *portFile != "" {
		tmp := *portFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(fmt.Sprintf("%d\n", port)), 0o644); err == nil {
			err = os.Rename(tmp, *portFile)
		}
		if err != nil {
			logger.Printf("writing port file: %v", err)
			return 1
		}
	}
	logger.Printf("serving /mutate and /validate on https://%s (%s)", ln.Addr(), cfg.describe())

	done := make(chan os.Signal, 1)
	signal.Notify(done, syscall.SIGINT, syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() { errc <- srv.ServeTLS(ln, "", "") }()
	if *lifeline {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			logger.Print("standard input closed: exiting")
			done <- syscall.SIGTERM
		}()
	}
	select {
	case <-done:
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		return 0
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return 0
		}
		logger.Print(err)
		return 1
	}
}

type stringList []string

func (s *stringList) String() string     { return fmt.Sprint([]string(*s)) }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
