// Command pulumi-language-python is a small Pulumi language host for Python
// programs.
//
// The engine starts a language host to run a project's program. Pulumi's own
// Python host lives in a Go module that the Go module proxy does not serve, so
// this host replaces it when the CLI is built from source. It runs the
// program through pulumi-language-python-exec, the launcher script that ships
// with the Pulumi SDK, so the program talks to the real engine exactly as it
// does under the official host.
//
// It supports what `pulumi up`, `preview`, `refresh`, `destroy` and `import`
// need: Handshake, GetPluginInfo, GetRequiredPlugins, GetRequiredPackages,
// Run, About and GetProgramDependencies. It does not install dependencies,
// generate code or run policy packs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is set by the build, through -ldflags "-X main.version=...".
var version = "0.0.0-dev"

// exitCodeUserMessage is the exit code with which pulumi-language-python-exec
// reports that it has already shown the user an error.
const exitCodeUserMessage = 32

func main() {
	// The engine may pass flags that the official host accepts; take them so
	// that parsing does not fail. The logging flags (-v, -logtostderr) come
	// from glog, which the SDK registers.
	flag.String("tracing", "", "emit tracing to a Zipkin-compatible endpoint (ignored)")
	flag.String("root", "", "project root directory (ignored)")
	flag.Parse()

	exe, err := os.Executable()
	if err != nil {
		fatalf("locating own executable: %v", err)
	}
	host := &languageHost{
		launcher: filepath.Join(filepath.Dir(exe), "pulumi-language-python-exec"),
	}

	cancel := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fatalf("starting the language host: %v", err)
	}

	// The engine reads the port from the first line of standard output.
	fmt.Println(handle.Port)
	if err := <-handle.Done; err != nil {
		fatalf("language host stopped: %v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: "+format+"\n", args...)
	os.Exit(1)
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	// launcher is the path of pulumi-language-python-exec.
	launcher string
}

func (h *languageHost) Handshake(
	context.Context, *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins reports no plugins. A program whose packages need
// resource plugins must have them installed already, because this host does
// not inspect the program's Python dependencies.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) About(
	_ context.Context, req *pulumirpc.AboutRequest,
) (*pulumirpc.AboutResponse, error) {
	python := pythonCommand(req.GetInfo())
	out, err := exec.Command(python, "--version").Output()
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "running %s --version: %v", python, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: python,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "Python "),
	}, nil
}

// Run executes the program with pulumi-language-python-exec and reports how
// it ended.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	// The launcher expects a JSON object and a JSON list, never null.
	configValues := req.GetConfig()
	if configValues == nil {
		configValues = map[string]string{}
	}
	config, err := json.Marshal(configValues)
	if err != nil {
		return nil, fmt.Errorf("encoding config: %w", err)
	}
	secretKeys, err := json.Marshal(append([]string{}, req.GetConfigSecretKeys()...))
	if err != nil {
		return nil, fmt.Errorf("encoding config secret keys: %w", err)
	}

	info := req.GetInfo()
	python := pythonCommand(info)
	args := []string{"-u", h.launcher,
		"--monitor", req.GetMonitorAddress(),
		"--engine", engineAddress(),
		"--project", req.GetProject(),
		"--stack", req.GetStack(),
		"--pwd", req.GetPwd(),
		"--dry_run", strconv.FormatBool(req.GetDryRun()),
		"--parallel", strconv.Itoa(int(req.GetParallel())),
	}
	if org := req.GetOrganization(); org != "" {
		args = append(args, "--organization", org)
	}
	if root := info.GetRootDirectory(); root != "" {
		args = append(args, "--root_directory", root)
	}
	args = append(args, req.GetProgram())
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(pythonEnvironment(info),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
	)

	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeUserMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited with code %d", exitErr.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("running %s: %v", python, err)}, nil
	}
}

// engineAddress returns the engine's address, which the engine passes as the
// last positional argument.
func engineAddress() string {
	args := flag.Args()
	if len(args) == 0 {
		return ""
	}
	return args[len(args)-1]
}

// virtualenv returns the absolute path of the `virtualenv` runtime option of
// Pulumi.yaml, or "" when it is not set.
func virtualenv(info *pulumirpc.ProgramInfo) string {
	venv := info.GetOptions().GetFields()["virtualenv"].GetStringValue()
	if venv == "" || filepath.IsAbs(venv) {
		return venv
	}
	return filepath.Join(info.GetRootDirectory(), venv)
}

// pythonCommand picks the interpreter the way the official host does: the
// project's virtual environment, else PULUMI_PYTHON_CMD, else python3.
func pythonCommand(info *pulumirpc.ProgramInfo) string {
	if venv := virtualenv(info); venv != "" {
		return filepath.Join(venv, "bin", "python")
	}
	if cmd := os.Getenv("PULUMI_PYTHON_CMD"); cmd != "" {
		return cmd
	}
	return "python3"
}

// pythonEnvironment returns the environment for the program: the host's own,
// with the virtual environment activated when the project names one.
func pythonEnvironment(info *pulumirpc.ProgramInfo) []string {
	env := os.Environ()
	venv := virtualenv(info)
	if venv == "" {
		return env
	}
	result := make([]string, 0, len(env)+2)
	for _, kv := range env {
		if strings.HasPrefix(kv, "PYTHONHOME=") || strings.HasPrefix(kv, "PATH=") {
			continue
		}
		result = append(result, kv)
	}
	return append(result,
		"VIRTUAL_ENV="+venv,
		"PATH="+filepath.Join(venv, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
	)
}
