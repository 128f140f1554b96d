#!/usr/bin/env ruby
env_path, example_path = ARGV
abort 'usage: lint.rb .env [.env.example]' unless env_path

def parse(path)
  File.readlines(path, chomp: true).each_with_index.filter_map do |line, i|
    next if line.strip.empty? || line.lstrip.start_with?('#')
    key, value = line.split('=', 2)
    [i + 1, key.to_s, value.to_s, line]
  end
end

entries = parse(env_path)
seen = {}
problems = []
entries.each do |lineno, key, value, raw|
  problems << [lineno, 'DuplicatedKey', key] if seen[key]
  seen[key] = true
  problems << [lineno, 'LowercaseKey', key] if key =~ /[a-z]/
  problems << [lineno, 'TrailingWhitespace', key] if raw =~ /\s+\z/
  q = value[0]
  problems << [lineno, 'QuoteCharacter', key] if %w[' "].include?(q) && value[-1] != q
end

if example_path && File.exist?(example_path)
  example_keys = parse(example_path).map { |e| e[1] }
  entries.each { |lineno, key| problems << [lineno, 'MissingInExample', key] unless example_keys.include?(key) }
end

problems.each { |l, rule, key| puts "#{env_path}:#{l} #{rule}: #{key}" }
puts problems.empty? ? 'No problems found' : "#{problems.size} problem(s)"
exit(problems.empty? ? 0 : 1)
