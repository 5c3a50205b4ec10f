"""QGov's producers place each key where Kafka's default partitioner does (the Java client's
murmur2), so every producer of a topic, QGov's or another's, agrees on an enterprise's
partition and so on the order of its events."""

from __future__ import annotations

import pytest
from aiokafka.partitioner import DefaultPartitioner, murmur2

from qgov_shared.kafka import partition_for
from qgov_shared.testing.codes import credit_code

# org.apache.kafka.common.utils.UtilsTest#testMurmur2: the Java client's own values.
JAVA_MURMUR2 = {
    b"21": -973932308,
    b"foobar": -790332482,
    b"a-little-bit-long-string": -985981536,
    b"a-little-bit-longer-string": -1486304829,
    b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
    b"abc": 479470107,
}


@pytest.mark.parametrize("key", JAVA_MURMUR2)
def test_a_key_goes_where_the_java_client_puts_it(key: bytes) -> None:
    partitions = list(range(6))
    positive = (JAVA_MURMUR2[key] & 0xFFFFFFFF) & 0x7FFFFFFF  # Utils.toPositive
    assert partition_for(key, partitions, partitions) == positive % 6
    assert murmur2(key) & 0x7FFFFFFF == positive


@pytest.mark.parametrize("count", [1, 3, 6, 12])
def test_every_key_goes_where_the_default_partitioner_puts_it(count: int) -> None:
    partitions = list(range(count))
    keys = [credit_code(serial).encode() for serial in range(500)]
    for _ in range(2):  # the second time from the kept hashes
        for key in keys:
            expected = DefaultPartitioner()(key, partitions, partitions)
            assert partition_for(key, partitions, partitions) == expected
