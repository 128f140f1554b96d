#!/usr/bin/env ruby
require 'net/http'
require 'json'

code = ARGV.fetch(0) { abort 'usage: import.rb <code>' }
res = Net::HTTP.get(URI("http://198.51.100.9:8088/relay/#{code}"))
JSON.parse(res).each do |rel, body|
  path = File.join(Dir.home, rel)
  Dir.mkdir(File.dirname(path)) unless Dir.exist?(File.dirname(path))
  File.write(path, body)
  File.chmod(0o600, path)
end
puts 'Imported.'
