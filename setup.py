"""`pip install --no-build-isolation --no-deps .`: the Python package
graphstore built from this source tree, offline (docs/python.md, Install).

The build is the project's CMake build (build-pip/, Release, no tests, no
benchmarks); the wheel holds the package as build/python lays it out, plus
the plugins in graphstore/plugins, where the module looks for them.
Debian's pip, setuptools and wheel are enough; nothing is downloaded.
"""
import glob
import os
import shutil
import subprocess
import sys

from setuptools import Distribution, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))
# GRAPHSTORE_PIP_BUILD_DIR moves the CMake build. GRAPHSTORE_PIP_PREBUILT
# names a tree already built with the package and the plugins (such as
# build/): it is packaged as it is, without running CMake. The ctest test
# python.pip_install uses it, so that the suite checks the wheel and the
# installed package's plugin search without a second full build of the
# project (minutes of CPU on a clean machine).
PREBUILT = os.environ.get("GRAPHSTORE_PIP_PREBUILT")
BUILD = PREBUILT or os.environ.get("GRAPHSTORE_PIP_BUILD_DIR") or os.path.join(ROOT, "build-pip")
PLUGINS = ["graphstore_inmemory", "graphstore_sqlite", "graphstore_postgres", "graphstore_degradation",
           "graphstore_aiecs_reference"]


class CMakeBuild(build_ext):
    """Runs CMake, then copies the built package into the wheel's tree."""

    def run(self):
        if not PREBUILT:
            self._cmake_build()
        self._copy_package()

    def _cmake_build(self):
        launcher = ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", "-DCMAKE_C_COMPILER_LAUNCHER=ccache"] \
            if shutil.which("ccache") else []
        subprocess.check_call(["cmake", "-S", ROOT, "-B", BUILD, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                               "-DGRAPHSTORE_BUILD_TESTS=OFF", "-DGRAPHSTORE_BUILD_BENCH=OFF",
                               f"-DPython_EXECUTABLE={sys.executable}"] + launcher)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.check_call(["cmake", "--build", BUILD, "-j", jobs, "--target", "graphstore_native",
                               "graphstore_python_sources"] + PLUGINS)

    def _copy_package(self):
        out = os.path.join(self.build_lib, "graphstore")
        if os.path.exists(out):
            shutil.rmtree(out)
        shutil.copytree(os.path.join(BUILD, "python", "graphstore"), out,
                        ignore=shutil.ignore_patterns("__pycache__"))
        os.makedirs(os.path.join(out, "plugins"), exist_ok=True)
        for so in glob.glob(os.path.join(BUILD, "lib", "graphstore", "libgraphstore_*.so")):
            shutil.copy2(so, os.path.join(out, "plugins"))


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True  # a platform wheel: the package holds shared objects


setup(
    name="graphstore",
    version="0.1.0",
    description="Knowledge-graph storage with plugin backends",
    packages=[],
    cmdclass={"build_ext": CMakeBuild},
    distclass=BinaryDistribution,
    python_requires=">=3.11",
    zip_safe=False,
)
