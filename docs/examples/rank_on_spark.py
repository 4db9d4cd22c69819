"""Rank a store on the Spark cluster this script is submitted to (see README, "Running on a cluster").

    spark-submit --master spark://HOST:7077 rank_on_spark.py /shared/store ranking.csv

The session is the one spark-submit configured (master, memory, --conf ...); the
benchmark's Spark engine uses it as it is. Every worker needs the package
importable: installed on the workers, or shipped with --py-files.
"""

import sys

from pyspark.sql import SparkSession

import benchmark as bm

spark = SparkSession.builder.appName("social-care-benchmark").getOrCreate()
table = bm.rank(sys.argv[1], engine="spark", min_requests=0, open_window=0)  # the figures `benchmark rank` shows
table.write_csv(sys.argv[2])
print(f"{table.height} brands ranked on {spark.sparkContext.master}: {sys.argv[2]}", file=sys.stderr)
spark.stop()
